-- Named groups of providers that sources state figures for together (e.g. the US Big Three).
SELECT row_number() OVER (ORDER BY g.provider_group_name)::INTEGER AS provider_group_key,
       g.provider_group_name, g.description,
       (SELECT count(*) FROM staging.stg_provider_group_members AS m
        WHERE m.provider_group_name = g.provider_group_name)::INTEGER AS member_count
FROM staging.stg_provider_groups AS g
