-- Fact rows about both a provider and a group, or about neither.
SELECT figure_key, provider_key, provider_group_key, source_key, source_line
FROM {batch}
WHERE (provider_key IS NULL) = (provider_group_key IS NULL)
