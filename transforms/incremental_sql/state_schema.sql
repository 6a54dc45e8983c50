-- What each per-source table (transforms/incremental.yml) was last built from, in the working warehouse: the
-- refresh that built it, a fingerprint of the code and shared inputs, and each source's version signature
-- (a JSON object, source_id: signature).
CREATE SCHEMA IF NOT EXISTS incremental;
CREATE TABLE IF NOT EXISTS incremental.built_from (
    table_name VARCHAR PRIMARY KEY,
    refresh_id VARCHAR NOT NULL,
    inputs     VARCHAR NOT NULL,
    sources    VARCHAR NOT NULL
);
