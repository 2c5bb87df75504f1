-- Portable SQL (SQLite and PostgreSQL): ids are canonical text, compared
-- bytewise; timestamps are milliseconds since the Unix epoch; objects are
-- stored as their wire JSON beside the columns that lists filter on.

CREATE TABLE instances (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
    hash TEXT PRIMARY KEY,
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE catalog_objects (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE session_templates (
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (instance_id, id)
);

CREATE INDEX session_templates_by_status ON session_templates (instance_id, status, id);

CREATE TABLE session_template_providers (
    instance_id BIGINT NOT NULL,
    id TEXT NOT NULL,
    session_template_id TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    config_id TEXT NOT NULL,
    auth_config_id TEXT,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (instance_id, id),
    FOREIGN KEY (instance_id, session_template_id) REFERENCES session_templates (instance_id, id)
);

CREATE INDEX session_template_providers_by_template
    ON session_template_providers (instance_id, session_template_id, id);
CREATE INDEX session_template_providers_by_status
    ON session_template_providers (instance_id, status, id);
