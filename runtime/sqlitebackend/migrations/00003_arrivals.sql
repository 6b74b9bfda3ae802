-- Arrival order per conversation, fixed when a message arrives: when it
-- reached a server (arrived_at, microseconds), then each conversation's own
-- numbering (arrivals.next), so that a message counted later always comes
-- after one whose number was given first. Who
-- claims a waiting message or holds a turn lock (holder), so that another
-- process can tell a dead holder from a slow one. The contact as the
-- message's turn first saw it (snapshot), so that a turn resumed after a
-- crash reads the state as of its own message, not a later one's.

-- +goose Up
CREATE TABLE arrivals (
	conversation_id TEXT PRIMARY KEY,
	next INTEGER NOT NULL
);
INSERT INTO arrivals (conversation_id, next) SELECT conversation_id, MAX(seq) FROM messages GROUP BY conversation_id;
ALTER TABLE messages ADD COLUMN arrived_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN holder TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN snapshot TEXT NOT NULL DEFAULT '';
ALTER TABLE turn_locks ADD COLUMN holder TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE turn_locks DROP COLUMN holder;
ALTER TABLE messages DROP COLUMN snapshot;
ALTER TABLE messages DROP COLUMN holder;
ALTER TABLE messages DROP COLUMN arrived_at;
DROP TABLE arrivals;
