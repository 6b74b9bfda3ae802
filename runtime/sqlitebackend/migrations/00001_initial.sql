-- The schema of databases made before versioned migrations: every
-- statement is IF NOT EXISTS, so that such a database is adopted as is.

-- +goose Up
CREATE TABLE IF NOT EXISTS conversations (
	id TEXT PRIMARY KEY,
	contact_id TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open',
	assignee_type TEXT NOT NULL DEFAULT '',
	assignee_name TEXT NOT NULL DEFAULT '',
	assignee_team TEXT NOT NULL DEFAULT '',
	closing_note TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS contacts (
	id TEXT PRIMARY KEY,
	lifecycle TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS contact_fields (
	contact_id TEXT NOT NULL,
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (contact_id, name)
);
CREATE TABLE IF NOT EXISTS contact_tags (
	contact_id TEXT NOT NULL,
	tag TEXT NOT NULL,
	PRIMARY KEY (contact_id, tag)
);
CREATE TABLE IF NOT EXISTS team_members (
	team TEXT NOT NULL,
	position INTEGER NOT NULL,
	member TEXT NOT NULL,
	PRIMARY KEY (team, member)
);
CREATE TABLE IF NOT EXISTS rr_cursors (
	team TEXT PRIMARY KEY,
	next INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS base_load (
	member TEXT PRIMARY KEY,
	open INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS comments (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	conversation_id TEXT NOT NULL,
	text TEXT NOT NULL,
	mentions TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workflow_events (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	conversation_id TEXT NOT NULL,
	contact_id TEXT NOT NULL,
	workflow TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS processed_messages (
	conversation_id TEXT NOT NULL,
	message_id TEXT NOT NULL,
	PRIMARY KEY (conversation_id, message_id)
);
CREATE INDEX IF NOT EXISTS conversations_assignee ON conversations (status, assignee_type, assignee_name);

-- +goose Down
DROP TABLE processed_messages;
DROP TABLE workflow_events;
DROP TABLE comments;
DROP TABLE base_load;
DROP TABLE rr_cursors;
DROP TABLE team_members;
DROP TABLE contact_tags;
DROP TABLE contact_fields;
DROP TABLE contacts;
DROP TABLE conversations;
