-- One join code per room: the printed QR on the door leads to whatever session is live there.
ALTER TABLE rooms ADD COLUMN code TEXT NULL;
CREATE UNIQUE INDEX ux_rooms_code ON rooms (code);

-- Moderator tools on questions.
ALTER TABLE questions ADD COLUMN reply TEXT NULL;
ALTER TABLE questions ADD COLUMN replied_at BIGINT NULL;
ALTER TABLE questions ADD COLUMN merged_into_id INTEGER NULL;
ALTER TABLE questions ADD COLUMN labels TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;

-- Whether the session's projector shows how many people are present.
ALTER TABLE sessions ADD COLUMN projector_presence INTEGER NOT NULL DEFAULT 0;

-- The event's own profanity list (one word per line); NULL means the built-in Indonesian and English lists.
ALTER TABLE events ADD COLUMN profanity_words TEXT NULL;

CREATE TABLE announcements (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   INTEGER NOT NULL REFERENCES events(id),
    room_id    INTEGER NULL REFERENCES rooms(id),
    text       TEXT    NOT NULL,
    author     TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX ix_announcements_event ON announcements (event_id, created_at);

-- Who did what to which question or poll, when.
CREATE TABLE moderation_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    INTEGER NOT NULL REFERENCES events(id),
    session_id  INTEGER NULL,
    question_id INTEGER NULL,
    poll_id     INTEGER NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    detail      TEXT    NULL,
    at          BIGINT  NOT NULL
);
CREATE INDEX ix_moderation_log_event ON moderation_log (event_id, at);

-- Reaction totals per session, added to once per tick (never one write per tap).
CREATE TABLE reaction_counts (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    emoji      TEXT    NOT NULL,
    total      BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, emoji)
);
