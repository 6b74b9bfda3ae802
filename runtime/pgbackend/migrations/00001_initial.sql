-- The whole schema: conversations, contacts, teams, what the agent wrote,
-- messages in arrival order, the turn lock of each conversation with its
-- fencing token, the record of every step, and the outbox of host events.
-- Times are milliseconds since the Unix epoch.

-- +goose Up
CREATE TABLE conversations (
	id TEXT PRIMARY KEY,
	contact_id TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open',
	assignee_type TEXT NOT NULL DEFAULT '',
	assignee_name TEXT NOT NULL DEFAULT '',
	assignee_team TEXT NOT NULL DEFAULT '',
	closing_note TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX conversations_assignee ON conversations (status, assignee_type, assignee_name);
CREATE TABLE contacts (
	id TEXT PRIMARY KEY,
	lifecycle TEXT NOT NULL DEFAULT ''
);
CREATE TABLE contact_fields (
	contact_id TEXT NOT NULL,
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (contact_id, name)
);
CREATE TABLE contact_tags (
	contact_id TEXT NOT NULL,
	tag TEXT NOT NULL,
	PRIMARY KEY (contact_id, tag)
);
CREATE TABLE team_members (
	team TEXT NOT NULL,
	position INTEGER NOT NULL,
	member TEXT NOT NULL,
	PRIMARY KEY (team, member)
);
CREATE TABLE rr_cursors (
	team TEXT PRIMARY KEY,
	next BIGINT NOT NULL
);
CREATE TABLE base_load (
	member TEXT PRIMARY KEY,
	open INTEGER NOT NULL
);
CREATE TABLE comments (
	seq BIGSERIAL PRIMARY KEY,
	conversation_id TEXT NOT NULL,
	text TEXT NOT NULL,
	mentions TEXT NOT NULL
);
CREATE INDEX comments_conversation ON comments (conversation_id, seq);
CREATE TABLE workflow_events (
	seq BIGSERIAL PRIMARY KEY,
	conversation_id TEXT NOT NULL,
	contact_id TEXT NOT NULL,
	workflow TEXT NOT NULL
);
CREATE INDEX workflow_events_conversation ON workflow_events (conversation_id, seq);
CREATE SEQUENCE message_seq;
CREATE TABLE messages (
	conversation_id TEXT NOT NULL,
	message_id TEXT NOT NULL,
	seq BIGINT NOT NULL,
	status TEXT NOT NULL,
	active_until BIGINT NOT NULL DEFAULT 0,
	scenario TEXT NOT NULL DEFAULT '',
	reply TEXT NOT NULL DEFAULT '',
	reply_sent INTEGER NOT NULL DEFAULT 0,
	plan_hash TEXT NOT NULL DEFAULT '',
	committed_at BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (conversation_id, message_id)
);
CREATE INDEX messages_queue ON messages (conversation_id, status, seq);
CREATE TABLE turn_locks (
	conversation_id TEXT PRIMARY KEY,
	token BIGINT NOT NULL,
	message_id TEXT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE TABLE steps (
	conversation_id TEXT NOT NULL,
	message_id TEXT NOT NULL,
	idx INTEGER NOT NULL,
	record TEXT NOT NULL,
	PRIMARY KEY (conversation_id, message_id, idx)
);
CREATE TABLE outbox (
	id TEXT PRIMARY KEY,
	conversation_id TEXT NOT NULL,
	type TEXT NOT NULL,
	payload TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	due_at BIGINT NOT NULL,
	acked_at BIGINT NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (acked_at, due_at);

-- +goose Down
DROP TABLE outbox;
DROP TABLE steps;
DROP TABLE turn_locks;
DROP TABLE messages;
DROP SEQUENCE message_seq;
DROP TABLE workflow_events;
DROP TABLE comments;
DROP TABLE base_load;
DROP TABLE rr_cursors;
DROP TABLE team_members;
DROP TABLE contact_tags;
DROP TABLE contact_fields;
DROP TABLE contacts;
DROP TABLE conversations;
