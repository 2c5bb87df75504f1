-- Idempotency keys (contract §8, Stripe's semantics): a POST's answer,
-- stored once it ran, per instance. `status` is NULL while the request runs;
-- `locked_at` lets a key whose request died be taken over after a while.

CREATE TABLE idempotency_keys (
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    locked_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (instance_id, key)
);

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
