-- Tables carried over with their keys, user references remapped to the composite (id, role) keys.
-- Idempotent.

DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_suggestion_status AS ENUM ('pending', 'applied', 'reverted', 'dismissed');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS vetmed.vetmed_push_subscriptions (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL,
    user_role   text NOT NULL,
    endpoint    text NOT NULL,
    p256dh_key  text NOT NULL,
    auth_key    text NOT NULL,
    user_agent  text,
    device_name text,
    is_active   boolean NOT NULL,
    last_used   timestamptz NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    -- deferrable: an endpoint may move from one subscription row to another within one load
    CONSTRAINT vetmed_push_subscriptions_endpoint_key UNIQUE (endpoint) DEFERRABLE,
    CONSTRAINT vetmed_push_subscriptions_user_fk FOREIGN KEY (user_id, user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS push_subscription_active_idx ON vetmed.vetmed_push_subscriptions (is_active);
CREATE INDEX IF NOT EXISTS push_subscription_user_idx ON vetmed.vetmed_push_subscriptions (user_id, user_role);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_suggestions (
    id                     uuid PRIMARY KEY,
    household_id           uuid NOT NULL REFERENCES vetmed.vetmed_households (id) ON DELETE CASCADE,
    type                   text NOT NULL,
    summary                text NOT NULL,
    rationale              text NOT NULL,
    priority               text NOT NULL,
    estimated_impact       text,
    status                 vetmed.vetmed_suggestion_status NOT NULL,
    action                 jsonb NOT NULL,
    original_values        jsonb,
    applied_at             timestamptz,
    applied_by_user_id     uuid,
    applied_by_user_role   text,
    reverted_at            timestamptz,
    reverted_by_user_id    uuid,
    reverted_by_user_role  text,
    dismissed_at           timestamptz,
    dismissed_by_user_id   uuid,
    dismissed_by_user_role text,
    expires_at             timestamptz,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    -- legacy ON DELETE SET NULL, on both columns of the composite key
    CONSTRAINT vetmed_suggestions_applied_by_fk FOREIGN KEY (applied_by_user_id, applied_by_user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE SET NULL,
    CONSTRAINT vetmed_suggestions_reverted_by_fk FOREIGN KEY (reverted_by_user_id, reverted_by_user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE SET NULL,
    CONSTRAINT vetmed_suggestions_dismissed_by_fk FOREIGN KEY (dismissed_by_user_id, dismissed_by_user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS suggestions_created_at_idx ON vetmed.vetmed_suggestions (created_at DESC NULLS LAST);
CREATE INDEX IF NOT EXISTS suggestions_household_id_idx ON vetmed.vetmed_suggestions (household_id);
CREATE INDEX IF NOT EXISTS suggestions_status_idx ON vetmed.vetmed_suggestions (status);
CREATE INDEX IF NOT EXISTS suggestions_type_idx ON vetmed.vetmed_suggestions (type);
CREATE INDEX IF NOT EXISTS suggestions_applied_by_idx ON vetmed.vetmed_suggestions (applied_by_user_id, applied_by_user_role);
CREATE INDEX IF NOT EXISTS suggestions_reverted_by_idx ON vetmed.vetmed_suggestions (reverted_by_user_id, reverted_by_user_role);
CREATE INDEX IF NOT EXISTS suggestions_dismissed_by_idx ON vetmed.vetmed_suggestions (dismissed_by_user_id, dismissed_by_user_role);

GRANT SELECT ON vetmed.vetmed_push_subscriptions, vetmed.vetmed_suggestions TO vetmed_app;
