-- Whether an event's pages follow each participant's browser language (1) or speak the event's default_language (0).
-- A flag is an INTEGER 0/1 like the others, so the same SQL writes it on both engines.
ALTER TABLE events ADD COLUMN follow_browser_language INTEGER NOT NULL DEFAULT 0;
