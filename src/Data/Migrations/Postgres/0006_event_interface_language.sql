-- PostgreSQL twin of Migrations/Sqlite/0006_event_interface_language.sql.
-- Whether an event's pages follow each participant's browser language (1) or speak the event's default_language (0).
-- A flag is a BIGINT 0/1 like the others, so the same SQL writes it on both engines.
ALTER TABLE events ADD COLUMN follow_browser_language BIGINT NOT NULL DEFAULT 0;
