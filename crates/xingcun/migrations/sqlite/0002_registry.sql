-- The registry: households, people, party organisations, party members, cadre posts.
-- Personal identifiers are stored encrypted (SM4-GCM, hex), found through a blind index
-- (HMAC-SM3, hex) and shown through a stored mask; the plain value is never stored.

CREATE TABLE household (
    id              INTEGER PRIMARY KEY,
    household_no    TEXT NOT NULL UNIQUE,
    org_code        TEXT NOT NULL REFERENCES org_unit(code),
    group_name      TEXT,
    address         TEXT,
    phone_enc       TEXT,
    phone_bidx      TEXT,
    phone_masked    TEXT,
    residence       TEXT NOT NULL DEFAULT 'in_residence',
    lifted_out      INTEGER NOT NULL DEFAULT 0,
    monitored       INTEGER NOT NULL DEFAULT 0,
    monitor_type    TEXT,
    dibao           INTEGER NOT NULL DEFAULT 0,
    destitute       INTEGER NOT NULL DEFAULT 0,
    deregistered_on TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX household_org ON household(org_code);
CREATE INDEX household_phone ON household(phone_bidx);

CREATE TABLE person (
    id               INTEGER PRIMARY KEY,
    id_bidx          TEXT NOT NULL UNIQUE,
    id_enc           TEXT NOT NULL,
    id_masked        TEXT NOT NULL,
    name             TEXT NOT NULL,
    name_pinyin      TEXT NOT NULL,
    name_initials    TEXT NOT NULL,
    sex              TEXT NOT NULL,
    birth_date       TEXT NOT NULL,
    ethnicity        TEXT,
    edu_full_time    TEXT,
    edu_in_service   TEXT,
    political_status TEXT,
    phone_enc        TEXT,
    phone_bidx       TEXT,
    phone_masked     TEXT,
    household_id     INTEGER REFERENCES household(id),
    relation         TEXT,
    org_code         TEXT NOT NULL REFERENCES org_unit(code),
    deregistered_on  TEXT,
    dereg_reason     TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX person_org ON person(org_code, name);
CREATE INDEX person_household ON person(household_id);
CREATE INDEX person_name ON person(name);
CREATE INDEX person_pinyin ON person(name_pinyin);
CREATE INDEX person_initials ON person(name_initials);
CREATE INDEX person_phone ON person(phone_bidx);

CREATE TABLE party_org (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    parent_code TEXT REFERENCES party_org(code),
    org_code    TEXT NOT NULL REFERENCES org_unit(code),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX party_org_org ON party_org(org_code);
CREATE INDEX party_org_parent ON party_org(parent_code);

CREATE TABLE party_member (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL UNIQUE REFERENCES person(id),
    party_org_code TEXT NOT NULL REFERENCES party_org(code),
    org_code       TEXT NOT NULL REFERENCES org_unit(code),
    category       TEXT NOT NULL,
    joined_on      TEXT,
    confirmed_on   TEXT,
    status         TEXT NOT NULL DEFAULT 'normal',
    left_on        TEXT,
    leave_reason   TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX party_member_org ON party_member(org_code);
CREATE INDEX party_member_party_org ON party_member(party_org_code);

CREATE TABLE cadre_post (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES person(id),
    category     TEXT NOT NULL,
    post         TEXT NOT NULL,
    post_title   TEXT,
    org_code     TEXT NOT NULL REFERENCES org_unit(code),
    starts_on    TEXT NOT NULL,
    ends_on      TEXT,
    professional INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (person_id, org_code, post, starts_on)
);
CREATE INDEX cadre_post_org ON cadre_post(org_code, category, post);
CREATE INDEX cadre_post_person ON cadre_post(person_id);
