-- Times are Unix epoch milliseconds (BIGINT) so the same columns work on SQLite and PostgreSQL.
CREATE TABLE events (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    code                    TEXT    NOT NULL UNIQUE,
    name                    TEXT    NOT NULL,
    theme                   TEXT    NULL,
    host                    TEXT    NULL,
    city                    TEXT    NULL,
    time_zone               TEXT    NOT NULL,
    default_language        TEXT    NOT NULL,
    languages               TEXT    NOT NULL,
    start_date              TEXT    NULL,
    end_date                TEXT    NULL,
    moderator_passcode_hash TEXT    NOT NULL,
    passcode_stamp          TEXT    NOT NULL,
    created_at              BIGINT  NOT NULL
);

CREATE TABLE rooms (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id  INTEGER NOT NULL REFERENCES events(id),
    room_key  TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    capacity  INTEGER NULL,
    UNIQUE (event_id, room_key)
);

CREATE TABLE sessions (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id              INTEGER NOT NULL REFERENCES events(id),
    room_id               INTEGER NOT NULL REFERENCES rooms(id),
    session_key           TEXT    NOT NULL,
    title                 TEXT    NOT NULL,
    kind                  TEXT    NOT NULL,
    speakers              TEXT    NOT NULL,
    starts_at             BIGINT  NOT NULL,
    ends_at               BIGINT  NOT NULL,
    status_override       TEXT    NULL,
    moderation            TEXT    NOT NULL DEFAULT 'pre',
    on_screen_question_id INTEGER NULL,
    version               BIGINT  NOT NULL DEFAULT 0,
    mod_version           BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (event_id, session_key)
);

CREATE TABLE participants (
    id         TEXT   PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE questions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id     INTEGER NOT NULL REFERENCES sessions(id),
    participant_id TEXT    NOT NULL REFERENCES participants(id),
    client_id      TEXT    NOT NULL,
    author_name    TEXT    NULL,
    text           TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    upvotes        INTEGER NOT NULL DEFAULT 0,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    answered_at    BIGINT  NULL,
    -- The idempotency key: a retried ask with the same client id finds this row.
    UNIQUE (participant_id, client_id)
);
CREATE INDEX ix_questions_session_status ON questions (session_id, status);

CREATE TABLE upvotes (
    question_id    INTEGER NOT NULL REFERENCES questions(id),
    participant_id TEXT    NOT NULL REFERENCES participants(id),
    created_at     BIGINT  NOT NULL,
    PRIMARY KEY (question_id, participant_id)
);
