-- 矛盾纠纷排查化解 (disputes): canvassing rounds (排查), the disputes found (纠纷), their parties
-- (当事人, whose ID and phone numbers are sealed as the registry seals a person's: SM4-GCM
-- ciphertext with the column as associated data, an HMAC-SM3 blind index and a stored mask) and
-- the mediation sessions (调解记录).

CREATE TABLE canvass_round (
    id INTEGER PRIMARY KEY,
    round_no TEXT NOT NULL UNIQUE,
    -- A township or a village.
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    held_on TEXT NOT NULL,
    led_by TEXT,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX canvass_round_org ON canvass_round(org_code, held_on);

CREATE TABLE dispute (
    id INTEGER PRIMARY KEY,
    dispute_no TEXT NOT NULL UNIQUE,
    -- A village (行政村 or 社区).
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    found_on TEXT NOT NULL,
    round_no TEXT REFERENCES canvass_round(round_no),
    kind TEXT NOT NULL,
    -- low, medium, high
    risk TEXT NOT NULL,
    summary TEXT NOT NULL,
    mediator_id INTEGER REFERENCES person(id),
    -- pending, mediating, concluded
    status TEXT NOT NULL,
    outcome TEXT,
    concluded_on TEXT,
    agreement TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX dispute_org ON dispute(org_code, found_on);
CREATE INDEX dispute_concluded ON dispute(org_code, concluded_on);
CREATE INDEX dispute_round ON dispute(round_no);

CREATE TABLE dispute_party (
    id INTEGER PRIMARY KEY,
    dispute_id INTEGER NOT NULL REFERENCES dispute(id),
    party_no TEXT NOT NULL,
    -- The dispute's unit.
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    name TEXT NOT NULL,
    id_enc TEXT,
    id_bidx TEXT,
    id_masked TEXT,
    phone_enc TEXT,
    phone_bidx TEXT,
    phone_masked TEXT,
    -- applicant, respondent
    role TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (dispute_id, party_no)
);
CREATE INDEX dispute_party_id ON dispute_party(id_bidx);
CREATE INDEX dispute_party_phone ON dispute_party(phone_bidx);

CREATE TABLE mediation_session (
    id INTEGER PRIMARY KEY,
    dispute_id INTEGER NOT NULL REFERENCES dispute(id),
    session_no TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    held_on TEXT NOT NULL,
    place TEXT,
    mediator_id INTEGER REFERENCES person(id),
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (dispute_id, session_no)
);
CREATE INDEX mediation_session_org ON mediation_session(org_code, held_on);
