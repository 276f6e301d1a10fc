-- Attachments (附件): photos and scanned documents of a record (a practical project's photos, an
-- assessment's evidence, an event's pictures). The bytes live in this table, or in a directory
-- set in the configuration with only the file's name here.

CREATE TABLE attachment (
    id INTEGER PRIMARY KEY,
    -- What the file belongs to: a kind of attachments::OWNERS and the record's key.
    owner_kind TEXT NOT NULL,
    owner_key TEXT NOT NULL,
    -- The owner's unit, copied so the scope filter needs no join.
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    file_name TEXT NOT NULL,
    -- Decided from the file's first bytes, never from what the browser said.
    content_type TEXT NOT NULL,
    byte_size INTEGER NOT NULL,
    -- SM3 of the content, hex.
    digest TEXT NOT NULL,
    -- Exactly one of these two: the bytes, or the file's name in the attachments directory.
    content BLOB,
    stored_name TEXT,
    created_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX attachment_owner ON attachment(owner_kind, owner_key);
CREATE INDEX attachment_org ON attachment(org_code);
