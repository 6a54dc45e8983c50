-- One figure per entity, metric, market, period and currency: where several sources state it, the most
-- recently published source's (then the one stated first). The charts draw from this temporary table.
CREATE TEMP TABLE newest_figures AS
SELECT figure_key, entity_name, is_group, metric, unit, currency, market_name, period_label, period_start, value,
       qualifier
FROM marts.figures
QUALIFY row_number() OVER (PARTITION BY entity_name, metric, market_name, period_label, currency
                           ORDER BY try_cast(source_published AS DATE) DESC NULLS LAST, figure_key) = 1
