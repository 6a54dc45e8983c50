-- Every provider and provider group in reference order: the order colours are handed out in.
SELECT provider_name AS entity_name, FALSE AS is_group FROM core.dim_provider
UNION ALL
SELECT provider_group_name, TRUE FROM core.dim_provider_group
ORDER BY is_group, entity_name
