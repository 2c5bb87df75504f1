-- The PostgreSQL schema: the SQLite backend's, with ids and other
-- compared text in the "C" collation (bytewise, as ids are ordered),
-- integers as BIGINT throughout, and no sequences (ids come from the server).

CREATE TABLE instances (
    id BIGINT PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
    hash TEXT COLLATE "C" PRIMARY KEY,
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE catalog_objects (
    kind TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE session_templates (
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    id TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (instance_id, id)
);

CREATE INDEX session_templates_by_status ON session_templates (instance_id, status, id);

CREATE TABLE session_template_providers (
    instance_id BIGINT NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    session_template_id TEXT COLLATE "C" NOT NULL,
    provider_id TEXT COLLATE "C" NOT NULL,
    deployment_id TEXT COLLATE "C" NOT NULL,
    config_id TEXT COLLATE "C" NOT NULL,
    auth_config_id TEXT COLLATE "C",
    status TEXT COLLATE "C" NOT NULL,
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
