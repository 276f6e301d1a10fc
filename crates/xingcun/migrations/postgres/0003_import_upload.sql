-- Workbooks uploaded on the 台账导入 page and waiting for the clerk's 确认导入 (or for the marked
-- copy to be downloaded). The body is the file sealed with SM4-GCM (it holds ID numbers), hex
-- encoded so one TEXT column serves both backends. Rows are deleted on confirm, on cancel, at the
-- user's next upload, and an hour after upload.

CREATE TABLE import_upload (
    token       TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES app_user(id),
    created_at  BIGINT NOT NULL,
    filename    TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX import_upload_user ON import_upload(user_id);
CREATE INDEX import_upload_created ON import_upload(created_at);
