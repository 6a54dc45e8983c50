-- Markets figures are stated for (global cloud infrastructure services, China public cloud IaaS, ...).
SELECT row_number() OVER (ORDER BY market_name)::INTEGER AS market_key,
       market_name, region, scope, description
FROM staging.stg_markets
