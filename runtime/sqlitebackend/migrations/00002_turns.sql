-- Exactly-once turns: messages in arrival order with their state, the turn
-- lock of each conversation with its fencing token, the record of every
-- step, and the outbox of host events. Messages processed before this
-- version are kept as done.

-- +goose Up
CREATE TABLE messages (
	conversation_id TEXT NOT NULL,
	message_id TEXT NOT NULL,
	seq INTEGER NOT NULL,
	status TEXT NOT NULL,
	active_until INTEGER NOT NULL DEFAULT 0,
	scenario TEXT NOT NULL DEFAULT '',
	reply TEXT NOT NULL DEFAULT '',
	reply_sent INTEGER NOT NULL DEFAULT 0,
	plan_hash TEXT NOT NULL DEFAULT '',
	committed_at INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (conversation_id, message_id)
);
CREATE INDEX messages_seq ON messages (seq);
CREATE INDEX messages_queue ON messages (conversation_id, status, seq);
INSERT INTO messages (conversation_id, message_id, seq, status)
	SELECT conversation_id, message_id, ROW_NUMBER() OVER (ORDER BY rowid), 'done' FROM processed_messages;
DROP TABLE processed_messages;
CREATE TABLE turn_locks (
	conversation_id TEXT PRIMARY KEY,
	token INTEGER NOT NULL,
	message_id TEXT NOT NULL,
	expires_at INTEGER NOT NULL
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
	created_at INTEGER NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	due_at INTEGER NOT NULL,
	acked_at INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (acked_at, due_at);

-- +goose Down
DROP TABLE outbox;
DROP TABLE steps;
DROP TABLE turn_locks;
CREATE TABLE processed_messages (
	conversation_id TEXT NOT NULL,
	message_id TEXT NOT NULL,
	PRIMARY KEY (conversation_id, message_id)
);
INSERT INTO processed_messages SELECT conversation_id, message_id FROM messages WHERE status = 'done';
DROP TABLE messages;
