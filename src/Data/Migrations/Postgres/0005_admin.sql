-- PostgreSQL twin of Migrations/Sqlite/0005_admin.sql: the same tables, with identity keys and BIGINT numbers.
-- A per-event secret for the participant pseudonyms in exports: stable within one event, unlinkable across events.
-- Filled on the first export of the event.
ALTER TABLE events ADD COLUMN export_key TEXT NULL;
