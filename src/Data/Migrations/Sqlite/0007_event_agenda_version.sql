-- An event's agenda version: one row here for every change to its rooms, its sessions' agenda fields or its announcements,
-- written by trigger in the change's own transaction, whichever code (or hand) wrote it. The version is the count of the
-- event's rows: each committed change adds one, so it moves with every commit, and nothing locks the event's row to move it.
-- A node keeps an event's agenda read once per version (EventSnapshots); the event row each join reads carries the count and
-- tells it, on every node, whether that copy still holds. A session's question and poll counters (version, mod_version,
-- on_screen_question_id, projector_*) do not add rows.
CREATE TABLE agenda_changes (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL
);
CREATE INDEX ix_agenda_changes_event ON agenda_changes (event_id);

CREATE TRIGGER rooms_agenda_insert AFTER INSERT ON rooms
BEGIN
    INSERT INTO agenda_changes (event_id) VALUES (NEW.event_id);
END;

CREATE TRIGGER rooms_agenda_update AFTER UPDATE ON rooms
BEGIN
    INSERT INTO agenda_changes (event_id) VALUES (NEW.event_id);
END;

CREATE TRIGGER rooms_agenda_delete AFTER DELETE ON rooms
BEGIN
    INSERT INTO agenda_changes (event_id) VALUES (OLD.event_id);
END;

CREATE TRIGGER sessions_agenda_insert AFTER INSERT ON sessions
BEGIN
    INSERT INTO agenda_changes (event_id) VALUES (NEW.event_id);
END;

CREATE TRIGGER sessions_agenda_update
AFTER UPDATE OF event_id, room_id, session_key, title, kind, speakers, starts_at, ends_at, status_override, moderation ON sessions
BEGIN
    INSERT INTO agenda_changes (event_id) VALUES (NEW.event_id);
END;

CREATE TRIGGER sessions_agenda_delete AFTER DELETE ON sessions
BEGIN
    INSERT INTO agenda_changes (event_id) VALUES (OLD.event_id);
END;

CREATE TRIGGER announcements_agenda_insert AFTER INSERT ON announcements
BEGIN
    INSERT INTO agenda_changes (event_id) VALUES (NEW.event_id);
END;

CREATE TRIGGER announcements_agenda_update AFTER UPDATE ON announcements
BEGIN
    INSERT INTO agenda_changes (event_id) VALUES (NEW.event_id);
END;

CREATE TRIGGER announcements_agenda_delete AFTER DELETE ON announcements
BEGIN
    INSERT INTO agenda_changes (event_id) VALUES (OLD.event_id);
END;
