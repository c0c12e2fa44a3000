-- SafeTill schema, version 7 (PostgreSQL): a till's cost must not grow with its history (issue 12).
-- Every hot-path query finds its rows through an index (tests/tst_query_plans.cpp checks the
-- statements the code issues), and retention (model/Retention.cpp) finds what it prunes, oldest
-- first, without reading the rest. The partial indexes hold only the few rows they are for.

-- The sync status bar's failed count and problem list (failed ops are kept until resolved).
CREATE INDEX outbox_failed ON outbox (seq) WHERE state = 'failed';
-- Retention: sent ops past the period, oldest first.
CREATE INDEX outbox_sent_by_age ON outbox (created_at) WHERE state = 'sent';
-- Retention: stored results past the period, oldest first.
CREATE INDEX idempotency_by_age ON idempotency (created_at);
