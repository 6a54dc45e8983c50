-- Cloud providers with their parent company, headquarters country and kind.
SELECT row_number() OVER (ORDER BY provider_name)::INTEGER AS provider_key,
       provider_name, parent_company, headquarters_country, provider_kind
FROM staging.stg_providers
