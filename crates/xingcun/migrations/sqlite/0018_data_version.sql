-- How many times the records of each kind (the audit trail's entity) have been written: bumped
-- in the same transaction as the audit entry, so a cached figure is kept exactly while none of
-- the kinds of record it reads has changed.

CREATE TABLE data_version (
    entity TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
);
