-- 四、深化社会治理 and 五、强化作风建设 (docs/workbook-modules.md): law-outreach events
-- (法律进农村), civility events (移风易俗), study sessions of party orgs (理论学习), supervision
-- findings (监督检查发现问题) and exemplars (先进典型).

CREATE TABLE law_outreach_event (
    id INTEGER PRIMARY KEY,
    event_no TEXT NOT NULL UNIQUE,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    held_on TEXT NOT NULL,
    place TEXT,
    organizer TEXT,
    topic TEXT NOT NULL,
    -- 参加人数, digits as the workbook cell gives them.
    attendance TEXT,
    attendees TEXT,
    content TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX law_outreach_event_org ON law_outreach_event(org_code, held_on);

CREATE TABLE civility_event (
    id INTEGER PRIMARY KEY,
    event_no TEXT NOT NULL UNIQUE,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    held_on TEXT NOT NULL,
    place TEXT,
    organizer TEXT,
    topic TEXT NOT NULL,
    attendance TEXT,
    attendees TEXT,
    content TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX civility_event_org ON civility_event(org_code, held_on);

CREATE TABLE study_session (
    id INTEGER PRIMARY KEY,
    session_no TEXT NOT NULL UNIQUE,
    party_org_id INTEGER NOT NULL REFERENCES party_org(id),
    -- The party org's 所在区划编码.
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    held_on TEXT NOT NULL,
    place TEXT,
    topic TEXT NOT NULL,
    attendance TEXT,
    attendees TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX study_session_org ON study_session(org_code, held_on);

CREATE TABLE supervision_finding (
    id INTEGER PRIMARY KEY,
    finding_no TEXT NOT NULL UNIQUE,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    found_on TEXT NOT NULL,
    -- The inspection that found it (检查来源).
    source TEXT,
    description TEXT NOT NULL,
    measures TEXT,
    deadline_on TEXT,
    rectified_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX supervision_finding_org ON supervision_finding(org_code, found_on);

CREATE TABLE exemplar (
    id INTEGER PRIMARY KEY,
    exemplar_no TEXT NOT NULL UNIQUE,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- The person of the registry, when the exemplar is a person.
    person_id INTEGER REFERENCES person(id),
    title TEXT NOT NULL,
    published_on TEXT NOT NULL,
    story TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX exemplar_org ON exemplar(org_code, published_on);
