-- Industry (产业): cooperatives (合作社, 联合社) and family farms (家庭农场) keyed by their
-- unified social credit code, the households whose income they lift, and rural tourism projects.

CREATE TABLE business (
    id INTEGER PRIMARY KEY,
    credit_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- cooperative, federation, family_farm
    kind TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- The legal representative: a person of the registry when known, else a name only.
    legal_rep_id INTEGER REFERENCES person(id),
    legal_rep_name TEXT,
    registered_on TEXT NOT NULL,
    deregistered_on TEXT,
    products TEXT,
    -- Members (成员数), digits as the workbook cell gives them.
    members TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX business_org ON business(kind, org_code, registered_on);

-- A household whose income a business lifts (带动农户), over a span of time.
CREATE TABLE business_household (
    id INTEGER PRIMARY KEY,
    credit_code TEXT NOT NULL REFERENCES business(credit_code),
    household_id INTEGER NOT NULL REFERENCES household(id),
    -- The household's unit (the business may be elsewhere).
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX business_household_code ON business_household(credit_code, starts_on);
CREATE INDEX business_household_household ON business_household(household_id);

-- Rural tourism projects (乡村旅游项目).
CREATE TABLE tourism_project (
    id INTEGER PRIMARY KEY,
    project_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX tourism_project_org ON tourism_project(org_code, starts_on);
