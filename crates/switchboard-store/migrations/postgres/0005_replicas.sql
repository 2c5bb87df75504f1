-- What several processes over one database need (the same schema as the
-- PostgreSQL backend's): a template's revision, raised by every write to it
-- or one of its providers, for caches to check what they hold against; and
-- rate-limit buckets (the theoretical arrival time of a caller's next
-- request, in microseconds, and whether its last request was allowed).

ALTER TABLE session_templates ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE TABLE rate_limits (
    bucket TEXT COLLATE "C" PRIMARY KEY,
    tat BIGINT NOT NULL,
    allowed BIGINT NOT NULL
);
