-- When a question was first approved: an undo of a dismissal returns it to the queue it came from.
ALTER TABLE questions ADD COLUMN approved_at BIGINT NULL;
