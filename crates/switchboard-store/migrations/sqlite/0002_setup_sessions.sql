-- Setup sessions: the setup crate's state as JSON, its version for
-- compare-and-swap, and the columns its list filters on. A session's status
-- depends on the time: `pending` and `expired` are told apart by
-- `expires_at` against the `now` of the request.

CREATE TABLE setup_sessions (
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    id TEXT NOT NULL,
    integration_id TEXT NOT NULL,
    integration_instance_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    ended TEXT,
    completed INTEGER NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (instance_id, id)
);

CREATE INDEX setup_sessions_by_integration ON setup_sessions (instance_id, integration_id, id);

-- The server's own secrets (the key client secrets are derived from), made once.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
