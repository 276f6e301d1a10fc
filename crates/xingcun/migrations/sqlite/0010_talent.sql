-- The cadre pipeline (头雁工程): degree upgrades (学历提升) and the reserve talent pool (后备人才).
-- Each record has its own 所属区划编码 (org_code), set when it is made; a person's household or
-- posts never place it.

CREATE TABLE degree_upgrade (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    school TEXT NOT NULL,
    -- The target education (an Education code).
    level TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    expected_on TEXT,
    -- The actual graduation: raises the person's 在职学历 when higher.
    graduated_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (person_id, school, starts_on)
);
CREATE INDEX degree_upgrade_org ON degree_upgrade (org_code, starts_on);

CREATE TABLE reserve_talent (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- 选 select / 招 recruit / 引 attract / 培 train.
    source TEXT NOT NULL,
    skills TEXT,
    mentor_id INTEGER REFERENCES person(id),
    -- ready (可接任) / developing (培养中).
    readiness TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    -- The first day the person is no longer in the pool (e.g. appointed to a post); the row stays.
    ends_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (person_id, starts_on)
);
CREATE INDEX reserve_talent_org ON reserve_talent (org_code, starts_on);
