-- 工作队, 工作队成员, 包村, 驻村, 入网, 联户, 走访 (workbook.md).

CREATE TABLE work_team (
    id INTEGER PRIMARY KEY,
    team_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    founded_on TEXT NOT NULL,
    revoked_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX work_team_org ON work_team(org_code);

CREATE TABLE work_team_member (
    id INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES work_team(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    role TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (team_id, person_id)
);
CREATE INDEX work_team_member_person ON work_team_member(person_id);

CREATE TABLE village_contact (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (person_id, org_code, starts_on)
);
CREATE INDEX village_contact_org ON village_contact(org_code);
CREATE INDEX village_contact_person ON village_contact(person_id);

CREATE TABLE stationing (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    full_time INTEGER NOT NULL DEFAULT 1,
    role TEXT NOT NULL,
    sent_by TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (person_id, org_code, starts_on)
);
CREATE INDEX stationing_org ON stationing(org_code);
CREATE INDEX stationing_person ON stationing(person_id);

CREATE TABLE grid_duty (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (person_id, org_code, starts_on)
);
CREATE INDEX grid_duty_org ON grid_duty(org_code);
CREATE INDEX grid_duty_person ON grid_duty(person_id);

CREATE TABLE household_link (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    household_id INTEGER NOT NULL REFERENCES household(id),
    org_code TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (person_id, household_id, starts_on)
);
CREATE INDEX household_link_org ON household_link(org_code);
CREATE INDEX household_link_person ON household_link(person_id);

CREATE TABLE visit (
    id INTEGER PRIMARY KEY,
    visit_no TEXT NOT NULL UNIQUE,
    household_id INTEGER NOT NULL REFERENCES household(id),
    org_code TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person(id),
    visited_on TEXT NOT NULL,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX visit_org ON visit(org_code);
CREATE INDEX visit_person ON visit(person_id);

CREATE INDEX household_link_household ON household_link(household_id);
CREATE INDEX visit_household ON visit(household_id, visited_on);
