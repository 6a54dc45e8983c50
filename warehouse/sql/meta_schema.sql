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

-- One row per refresh: when it ran, what triggered it, how it ended, from which file versions.
CREATE TABLE IF NOT EXISTS meta.refresh_log (
    refresh_id     VARCHAR PRIMARY KEY,
    trigger        VARCHAR NOT NULL,       -- schedule, sensor or manual
    started_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ,
    outcome        VARCHAR NOT NULL,       -- running, published, failed or abandoned (its process died)
    sources        JSON,                   -- {file name: content hash} of the files it loaded
    table_rows     JSON,                   -- {table: rows} of what it published
    checks_passed  INTEGER,
    checks_failed  INTEGER,
    inputs_key     VARCHAR                 -- hash of the source versions and the code (see ingest.fingerprint)
);
COMMENT ON TABLE meta.refresh_log IS 'Every refresh: trigger, start and end, outcome, source file versions, rows per table, checks';
COMMENT ON COLUMN meta.refresh_log.refresh_id IS 'Dagster run id of the refresh; fact rows carry the id of the refresh that wrote them';
COMMENT ON COLUMN meta.refresh_log.trigger IS 'What started it: schedule, sensor (a source file changed) or manual';
COMMENT ON COLUMN meta.refresh_log.started_at IS 'When the refresh started';
COMMENT ON COLUMN meta.refresh_log.finished_at IS 'When it ended (null while running)';
COMMENT ON COLUMN meta.refresh_log.outcome IS 'running, published (its data is what analysts see), failed (nothing published) or abandoned (its process died before it finished; nothing published)';
COMMENT ON COLUMN meta.refresh_log.sources IS 'Source files and the SHA-256 of the versions it loaded';
COMMENT ON COLUMN meta.refresh_log.table_rows IS 'Rows per published table';
COMMENT ON COLUMN meta.refresh_log.checks_passed IS 'Check rules that held';
COMMENT ON COLUMN meta.refresh_log.checks_failed IS 'Check rules that did not hold (warnings included)';
COMMENT ON COLUMN meta.refresh_log.inputs_key IS 'Hash of the source file versions and of the code: equal keys publish equal data';

-- One row per source as the last refresh found it: local files and remote (URL) sources alike.
CREATE TABLE IF NOT EXISTS meta.source_status (
    refresh_id      VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    file_name       VARCHAR NOT NULL,
    file_kind       VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,  -- file or url
    url             VARCHAR,
    content_hash    VARCHAR,
    records         BIGINT,
    last_fetched_at TIMESTAMPTZ,
    last_changed_at TIMESTAMPTZ,
    http_status     INTEGER,
    status          VARCHAR NOT NULL,  -- ok or stale
    problem         VARCHAR
);
COMMENT ON TABLE meta.source_status IS 'Every source the last refresh read: file or URL, version, records, when fetched and changed, ok or stale';
COMMENT ON COLUMN meta.source_status.refresh_id IS 'Refresh that wrote this row';
COMMENT ON COLUMN meta.source_status.source_id IS 'Source id: the file name without .csv, or the registry id';
COMMENT ON COLUMN meta.source_status.file_name IS 'Name in the raw layer (remote sources: <id>.csv)';
COMMENT ON COLUMN meta.source_status.file_kind IS 'figures, or the reference table the file holds';
COMMENT ON COLUMN meta.source_status.kind IS 'file (sources folder) or url (sources/registry.yaml)';
COMMENT ON COLUMN meta.source_status.url IS 'Where a remote source is fetched from';
COMMENT ON COLUMN meta.source_status.content_hash IS 'SHA-256 of the version in use (null: no good version yet)';
COMMENT ON COLUMN meta.source_status.records IS 'Rows of that version (figures for a figure sheet)';
COMMENT ON COLUMN meta.source_status.last_fetched_at IS 'Last time the source was read or fetched';
COMMENT ON COLUMN meta.source_status.last_changed_at IS 'When the version in use was first read or fetched';
COMMENT ON COLUMN meta.source_status.http_status IS 'HTTP status of the last fetch (null for files or no answer)';
COMMENT ON COLUMN meta.source_status.status IS 'ok, or stale: the last fetch failed and the last good version is in use';
COMMENT ON COLUMN meta.source_status.problem IS 'Why the source is stale';

-- One row per publish target per run: the warehouse file, PostgreSQL and the report, each with its own
-- outcome and the refresh whose data it holds afterwards. A run that only catches up targets behind
-- (no rebuild) logs rows here and none in meta.refresh_log.
CREATE TABLE IF NOT EXISTS meta.publish_log (
    refresh_id   VARCHAR NOT NULL,         -- the Dagster run id of the run that published (or tried to)
    target       VARCHAR NOT NULL,         -- duckdb (the published file), postgres or report
    location     VARCHAR NOT NULL,         -- the file, or the PostgreSQL DSN with its password as ***
    outcome      VARCHAR NOT NULL,         -- published or failed
    error        VARCHAR,                  -- why it failed, on one line
    holds        VARCHAR,                  -- the refresh whose data the target holds after this run (null: none or unknown)
    finished_at  TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE meta.publish_log IS 'Every publish to every target (warehouse file, PostgreSQL, report): outcome, error, the refresh it holds since';
COMMENT ON COLUMN meta.publish_log.refresh_id IS 'Dagster run id of the refresh (or catch-up of targets behind) that published';
COMMENT ON COLUMN meta.publish_log.target IS 'duckdb (the published warehouse file), postgres or report';
COMMENT ON COLUMN meta.publish_log.location IS 'The file, or the PostgreSQL DSN with its password as ***';
COMMENT ON COLUMN meta.publish_log.outcome IS 'published, or failed (the target keeps what it held)';
COMMENT ON COLUMN meta.publish_log.error IS 'Why the publish failed';
COMMENT ON COLUMN meta.publish_log.holds IS 'Refresh whose data the target holds after this publish (null: none or unknown)';
COMMENT ON COLUMN meta.publish_log.finished_at IS 'When the publish ended';
