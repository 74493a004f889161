-- Loupe run store, schema version 1. Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Times are epoch milliseconds (BIGINT); JSON is TEXT; undefined numbers are NULL.
-- Placeholders (Migrations.placeholders) hold the few words where the two databases differ: ${clustered} is
-- 'WITHOUT ROWID' on SQLite (the table is stored in its primary key's order: one b-tree instead of two) and empty on
-- PostgreSQL; ${serial_pk} is an auto-numbered BIGINT primary key.

CREATE TABLE experiments (
    name        VARCHAR(200) NOT NULL PRIMARY KEY,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE runs (
    id            VARCHAR(32)  NOT NULL PRIMARY KEY,
    experiment    VARCHAR(200) NOT NULL REFERENCES experiments(name),
    name          VARCHAR(500) NOT NULL,
    status        VARCHAR(16)  NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'crashed')),
    started_at    BIGINT       NOT NULL,
    ended_at      BIGINT,
    heartbeat_at  BIGINT       NOT NULL,
    model_sha256  VARCHAR(64),
    dataset_hash  VARCHAR(128),
    split_seed    BIGINT,
    config        TEXT,
    loupe_version VARCHAR(64),
    command       TEXT,
    host          VARCHAR(255),
    source_key    VARCHAR(600) UNIQUE
);
CREATE INDEX runs_experiment ON runs (experiment, started_at);
CREATE INDEX runs_status ON runs (status, heartbeat_at);

CREATE TABLE params (
    run_id  VARCHAR(32)  NOT NULL REFERENCES runs(id),
    name    VARCHAR(500) NOT NULL,
    value   TEXT,
    PRIMARY KEY (run_id, name)
);

CREATE TABLE metrics (
    run_id   VARCHAR(32)  NOT NULL REFERENCES runs(id),
    name     VARCHAR(500) NOT NULL,
    value    DOUBLE PRECISION,
    ci_low   DOUBLE PRECISION,
    ci_high  DOUBLE PRECISION,
    PRIMARY KEY (run_id, name)
);

-- A series is named once; its points refer to it by a small integer key, so each point row is
-- (series_id, step, wall_time, value) and a series is one contiguous primary-key range.
CREATE TABLE series (
    id      ${serial_pk},
    run_id  VARCHAR(32)  NOT NULL REFERENCES runs(id),
    name    VARCHAR(500) NOT NULL,
    UNIQUE (run_id, name)
);

CREATE TABLE series_points (
    series_id  BIGINT  NOT NULL REFERENCES series(id),
    step       BIGINT  NOT NULL,
    wall_time  BIGINT  NOT NULL,
    value      DOUBLE PRECISION,
    PRIMARY KEY (series_id, step)
) ${clustered};

CREATE TABLE predictions (
    run_id         VARCHAR(32) NOT NULL REFERENCES runs(id),
    row_index      BIGINT      NOT NULL,
    example_id     TEXT,
    label          TEXT,
    probabilities  TEXT,
    pred           TEXT,
    loss           DOUBLE PRECISION,
    metadata       TEXT,
    text           TEXT,
    PRIMARY KEY (run_id, row_index)
);

CREATE TABLE artifacts (
    run_id      VARCHAR(32)  NOT NULL REFERENCES runs(id),
    name        VARCHAR(500) NOT NULL,
    sha256      VARCHAR(64)  NOT NULL,
    size_bytes  BIGINT       NOT NULL,
    media_type  VARCHAR(200),
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (run_id, name)
);
CREATE INDEX artifacts_sha ON artifacts (sha256);
