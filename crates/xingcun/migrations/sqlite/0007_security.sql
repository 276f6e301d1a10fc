-- Security: the TOTP second factor, sessions that still wait for it, the personal-data access
-- log. Booleans 0/1, machine times Unix ms.

-- A second-factor secret being enrolled (sealed like totp_secret), and the last time step a
-- code was accepted for (a code is refused unless its step is later: no replay).
ALTER TABLE app_user ADD COLUMN totp_pending TEXT;
ALTER TABLE app_user ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- 1 once the session's user passed the second factor (or needs none).
ALTER TABLE user_session ADD COLUMN mfa_done INTEGER NOT NULL DEFAULT 1;

-- Who saw which personal field of whom unmasked, and why.
CREATE TABLE access_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    username    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    field       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    org_code    TEXT
);
CREATE INDEX access_log_at ON access_log(at);
CREATE INDEX access_log_user ON access_log(username, at);
