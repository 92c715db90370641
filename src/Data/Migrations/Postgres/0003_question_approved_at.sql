-- PostgreSQL twin of Migrations/Sqlite/0003_question_approved_at.sql: the same tables, with identity keys and BIGINT numbers.
-- When a question was first approved: an undo of a dismissal returns it to the queue it came from.
ALTER TABLE questions ADD COLUMN approved_at BIGINT NULL;
