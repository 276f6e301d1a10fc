-- The cadre pipeline, continued (头雁工程): trainings (培训班) and who attended them (培训参训),
-- practice postings of reserve talents (实践锻炼), village advisors (村务顾问) and their advice
-- (顾问建议), the annual reviews and pay grades of village secretaries (书记年度考核), and why a
-- reserve talent left the pool (出库原因). A record about a person has its own 所属区划编码
-- (org_code), set when it is made.

ALTER TABLE reserve_talent ADD COLUMN exit_reason TEXT;

CREATE TABLE training (
    id INTEGER PRIMARY KEY,
    training_no TEXT NOT NULL UNIQUE,
    -- The organising unit (主办单位).
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    title TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    place TEXT,
    -- 学时, digits as the workbook cell gives them (at most one decimal).
    hours TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX training_org ON training (org_code, starts_on);

CREATE TABLE training_attendance (
    id INTEGER PRIMARY KEY,
    training_id INTEGER NOT NULL REFERENCES training(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    -- The attendance's own unit (usually the attendee's village), not the organiser's.
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (training_id, person_id)
);
CREATE INDEX training_attendance_org ON training_attendance (org_code);
CREATE INDEX training_attendance_person ON training_attendance (person_id);

CREATE TABLE practice_posting (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    host_unit TEXT NOT NULL,
    post TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (person_id, host_unit, starts_on)
);
CREATE INDEX practice_posting_org ON practice_posting (org_code, starts_on);

CREATE TABLE advisor (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    -- The village advised.
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- veteran_member (老党员), retired_cadre (退休干部), sage (乡贤), other.
    kind TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (person_id, org_code, starts_on)
);
CREATE INDEX advisor_org ON advisor (org_code, starts_on);

CREATE TABLE advice (
    id INTEGER PRIMARY KEY,
    advice_no TEXT NOT NULL UNIQUE,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- The advisor who gave it.
    person_id INTEGER NOT NULL REFERENCES person(id),
    given_on TEXT NOT NULL,
    subject TEXT NOT NULL,
    content TEXT,
    adopted INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX advice_org ON advice (org_code, given_on);

CREATE TABLE secretary_review (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    -- The village whose secretary was reviewed.
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- The year reviewed, four digits.
    year TEXT NOT NULL,
    -- excellent, competent, basically_competent, incompetent.
    result TEXT NOT NULL,
    -- 报酬等级 as the district names it (e.g. 二级).
    pay_grade TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (person_id, year)
);
CREATE INDEX secretary_review_org ON secretary_review (org_code, year);
