-- Report templates (报告模板), kept in versions: every save is a new version row.

CREATE TABLE report_template (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    latest_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX report_template_org ON report_template(org_code);

CREATE TABLE report_template_version (
    id INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES report_template(id),
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (template_id, version)
);
