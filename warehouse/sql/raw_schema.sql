-- The raw layer: append-only, every distinct version of every source file, every field as text.
-- A version is identified by (file_name, content_hash); rows are never updated or deleted.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.source_files (
    file_name       VARCHAR NOT NULL,   -- path relative to the sources folder
    file_kind       VARCHAR NOT NULL,   -- figures, providers, provider_groups, ...
    content_hash    VARCHAR NOT NULL,   -- sha256 of the file's bytes
    byte_size       BIGINT NOT NULL,
    record_count    BIGINT NOT NULL,
    first_loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (file_name, content_hash)
);

-- Which version of each file is in the sources folder now; rewritten by every load.
CREATE TABLE IF NOT EXISTS raw.current_files (
    file_name    VARCHAR PRIMARY KEY,
    file_kind    VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL
);

-- Bibliographic facts from the front matter of a source document.
CREATE TABLE IF NOT EXISTS raw.documents (
    file_name    VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    title        VARCHAR,
    outlet       VARCHAR,
    author       VARCHAR,
    published    VARCHAR,
    url          VARCHAR
);

CREATE TABLE IF NOT EXISTS raw.citations (
    file_name     VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    citation      VARCHAR NOT NULL,
    citation_text VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.figures (
    file_name    VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    line_no      BIGINT NOT NULL,
    entity       VARCHAR,
    metric       VARCHAR,
    market       VARCHAR,
    period       VARCHAR,
    value        VARCHAR,
    magnitude    VARCHAR,
    unit         VARCHAR,
    qualifier    VARCHAR,
    citation     VARCHAR,
    note         VARCHAR
);

CREATE TABLE IF NOT EXISTS raw.providers (
    file_name            VARCHAR NOT NULL,
    content_hash         VARCHAR NOT NULL,
    line_no              BIGINT NOT NULL,
    provider             VARCHAR,
    parent_company       VARCHAR,
    headquarters_country VARCHAR,
    kind                 VARCHAR
);

CREATE TABLE IF NOT EXISTS raw.provider_groups (
    file_name      VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,
    line_no        BIGINT NOT NULL,
    provider_group VARCHAR,
    description    VARCHAR
);

CREATE TABLE IF NOT EXISTS raw.provider_group_members (
    file_name      VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,
    line_no        BIGINT NOT NULL,
    provider_group VARCHAR,
    provider       VARCHAR
);

CREATE TABLE IF NOT EXISTS raw.markets (
    file_name    VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    line_no      BIGINT NOT NULL,
    market       VARCHAR,
    region       VARCHAR,
    scope        VARCHAR,
    description  VARCHAR
);

CREATE TABLE IF NOT EXISTS raw.metrics (
    file_name    VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    line_no      BIGINT NOT NULL,
    metric       VARCHAR,
    unit         VARCHAR,
    fact_table   VARCHAR,
    description  VARCHAR
);

-- Other names of providers, groups, markets and metrics, as articles write them (read by `cloudmart draft`).
CREATE TABLE IF NOT EXISTS raw.aliases (
    file_name    VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    line_no      BIGINT NOT NULL,
    kind         VARCHAR,   -- entity, market or metric
    name         VARCHAR,   -- the provider, group, market or metric it stands for
    alias        VARCHAR
);

-- Every fetch of a remote source (sources/registry.yaml): when, what the server answered, and which
-- version of the file it left in the cache (a new version's rows go to raw.figures like a local file's).
CREATE TABLE IF NOT EXISTS raw.remote_fetches (
    file_name    VARCHAR NOT NULL,   -- <source id>.csv, as in raw.source_files
    url          VARCHAR NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL,
    outcome      VARCHAR NOT NULL,   -- changed, unchanged (304 or same bytes) or failed
    http_status  INTEGER,            -- null when the server did not answer
    content_hash VARCHAR,            -- the version cached after this fetch (the last good one if it failed)
    received_hash VARCHAR,           -- sha256 of the body this fetch received, kept or refused (null: none)
    problem      VARCHAR,            -- why it failed
    attempts     INTEGER NOT NULL,
    PRIMARY KEY (file_name, fetched_at)
);
