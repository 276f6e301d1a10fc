-- 实事, 整顿 (软弱涣散) with its problems, 荣誉, 党建示范点, 达标评定 (docs/workbook-modules.md).

CREATE TABLE practical_project (
    id INTEGER PRIMARY KEY,
    project_no TEXT NOT NULL UNIQUE,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    name TEXT NOT NULL,
    cost TEXT,
    beneficiaries TEXT,
    status TEXT NOT NULL,
    started_on TEXT,
    completed_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX practical_project_org ON practical_project(org_code);

CREATE TABLE rectification (
    id INTEGER PRIMARY KEY,
    case_no TEXT NOT NULL UNIQUE,
    party_org_id INTEGER NOT NULL REFERENCES party_org(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    found_on TEXT NOT NULL,
    reasons TEXT NOT NULL,
    accepted_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX rectification_org ON rectification(org_code);

CREATE TABLE rectification_problem (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES rectification(id),
    problem_no TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    description TEXT NOT NULL,
    measure TEXT,
    responsible TEXT,
    deadline_on TEXT,
    solved_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (case_id, problem_no)
);
CREATE INDEX rectification_problem_org ON rectification_problem(org_code);

CREATE TABLE honor (
    id INTEGER PRIMARY KEY,
    honor_no TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    status TEXT NOT NULL,
    nominated_on TEXT NOT NULL,
    notice_starts_on TEXT,
    notice_ends_on TEXT,
    awarded_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX honor_org ON honor(org_code);
CREATE INDEX honor_person ON honor(person_id);

CREATE TABLE model_site (
    id INTEGER PRIMARY KEY,
    site_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX model_site_org ON model_site(org_code);

CREATE TABLE branch_assessment (
    id INTEGER PRIMARY KEY,
    assessment_no TEXT NOT NULL UNIQUE,
    party_org_id INTEGER NOT NULL REFERENCES party_org(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    assessed_on TEXT NOT NULL,
    result TEXT NOT NULL,
    score TEXT,
    assessor TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX branch_assessment_org ON branch_assessment(org_code);
CREATE INDEX branch_assessment_party_org ON branch_assessment(party_org_id, assessed_on);
