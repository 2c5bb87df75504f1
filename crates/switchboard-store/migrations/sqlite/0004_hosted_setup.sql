-- The hosted setup flow (contract §9): what end users make on a session's
-- pages, and how far each child provider setup session has got.

-- Sessions are opened by id alone on their pages (the client secret names no instance).
CREATE INDEX setup_sessions_by_id ON setup_sessions (id);

-- Auth configs an end user made. The credentials are sealed (AEAD) by the
-- server under a key that is never stored here: `sealed` is
-- `<key id>.<hex nonce and ciphertext>`.
CREATE TABLE auth_configs (
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    id TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    auth_method TEXT NOT NULL,
    granted_scopes TEXT,
    name TEXT NOT NULL,
    sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (instance_id, id)
);

CREATE INDEX auth_configs_by_provider ON auth_configs (instance_id, provider_id, id);

-- Configs an end user filled in (values, not credentials).
CREATE TABLE provider_configs (
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    id TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (instance_id, id)
);

-- One row per child that has started on the pages: the auth config and
-- config chosen so far (each set once), and a pending OAuth sign-in: the
-- SHA-256 of its `state` (single use) and its sealed PKCE verifier.
CREATE TABLE setup_progress (
    child_id TEXT PRIMARY KEY,
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    session_id TEXT NOT NULL,
    step_id TEXT NOT NULL,
    auth_config_id TEXT,
    config_id TEXT,
    oauth_state TEXT UNIQUE,
    oauth_sealed TEXT,
    oauth_expires_at BIGINT
);
