-- Membership of providers in provider groups (one row per group and member).
SELECT g.provider_group_key, p.provider_key
FROM staging.stg_provider_group_members AS m
JOIN core.dim_provider_group AS g USING (provider_group_name)
JOIN core.dim_provider AS p USING (provider_name)
