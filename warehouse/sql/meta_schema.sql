-- Facts about refreshes themselves, published with the data so analysts can see them.
CREATE SCHEMA IF NOT EXISTS meta;

-- One row per rule evaluated by a check in a refresh (audits and GX expectations alike).
CREATE TABLE IF NOT EXISTS meta.check_results (
    refresh_id       VARCHAR NOT NULL,     -- the Dagster run id of the refresh
    checked_at       TIMESTAMPTZ NOT NULL,
    asset            VARCHAR NOT NULL,     -- the table checked, e.g. core.fct_market_share
    check_name       VARCHAR NOT NULL,
    rule             VARCHAR NOT NULL,
    severity         VARCHAR NOT NULL,     -- critical (blocks publishing) or warning
    success          BOOLEAN NOT NULL,
    unexpected_count BIGINT NOT NULL,
    sample           JSON                  -- up to 20 failing rows or values
);
COMMENT ON TABLE meta.check_results IS 'Every rule every refresh checked: success, rows breaking it and a sample of them';
COMMENT ON COLUMN meta.check_results.refresh_id IS 'Dagster run id of the refresh';
COMMENT ON COLUMN meta.check_results.checked_at IS 'When the rule was evaluated';
COMMENT ON COLUMN meta.check_results.asset IS 'Table the rule was checked on';
COMMENT ON COLUMN meta.check_results.check_name IS 'Dagster asset check (suite or audit) the rule belongs to';
COMMENT ON COLUMN meta.check_results.rule IS 'Name of the rule';
COMMENT ON COLUMN meta.check_results.severity IS 'critical: blocks publishing; warning: reported only';
COMMENT ON COLUMN meta.check_results.success IS 'Whether the rule held';
COMMENT ON COLUMN meta.check_results.unexpected_count IS 'Rows or values breaking the rule';
COMMENT ON COLUMN meta.check_results.sample IS 'Up to 20 of the rows or values breaking the rule, as JSON';
