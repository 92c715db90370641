-- Polls and quizzes. Votes are rows, one per participant and poll, enforced by the primary keys below.
CREATE TABLE polls (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id         INTEGER NOT NULL REFERENCES sessions(id),
    kind               TEXT    NOT NULL,
    question           TEXT    NOT NULL,
    options            TEXT    NOT NULL DEFAULT '[]',
    max_picks          INTEGER NULL,
    scale              INTEGER NULL,
    correct            TEXT    NULL,
    time_limit_seconds INTEGER NULL,
    visibility         TEXT    NOT NULL DEFAULT 'live',
    status             TEXT    NOT NULL DEFAULT 'draft',
    revealed           INTEGER NOT NULL DEFAULT 0,
    position           INTEGER NOT NULL DEFAULT 0,
    opened_at          BIGINT  NULL,
    closed_at          BIGINT  NULL,
    results_version    BIGINT  NOT NULL DEFAULT 0,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL
);
CREATE INDEX ix_polls_session ON polls (session_id, position);

CREATE TABLE votes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    poll_id        INTEGER NOT NULL REFERENCES polls(id),
    participant_id TEXT    NOT NULL REFERENCES participants(id),
    display_name   TEXT    NULL,
    text           TEXT    NULL,
    status         TEXT    NOT NULL DEFAULT 'counted',
    correct        INTEGER NULL,
    score          INTEGER NOT NULL DEFAULT 0,
    elapsed_ms     BIGINT  NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    UNIQUE (poll_id, participant_id)
);

-- One row per picked option (single, multiple, quiz), per rated value (rating) or per ranked option with its Borda points.
CREATE TABLE vote_choices (
    poll_id        INTEGER NOT NULL REFERENCES polls(id),
    participant_id TEXT    NOT NULL,
    option_index   INTEGER NOT NULL,
    points         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (poll_id, participant_id, option_index)
);

-- The normalised word-cloud entry of a vote.
CREATE TABLE vote_words (
    poll_id        INTEGER NOT NULL REFERENCES polls(id),
    participant_id TEXT    NOT NULL,
    word           TEXT    NOT NULL,
    PRIMARY KEY (poll_id, participant_id, word)
);
CREATE INDEX ix_vote_words_word ON vote_words (poll_id, word);

-- The idempotency keys of vote requests: a retried or late request with a seen client id changes nothing.
CREATE TABLE vote_requests (
    participant_id TEXT   NOT NULL,
    client_id      TEXT   NOT NULL,
    poll_id        INTEGER NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (participant_id, client_id)
);

ALTER TABLE sessions ADD COLUMN projector_mode TEXT NOT NULL DEFAULT 'questions';
ALTER TABLE sessions ADD COLUMN projector_poll_id INTEGER NULL;
