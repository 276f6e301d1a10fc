-- Demands (诉求): residents' problems tracked to a solution and the resident's verdict.

CREATE TABLE demand (
    id INTEGER PRIMARY KEY,
    demand_no TEXT NOT NULL UNIQUE,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    household_id INTEGER REFERENCES household(id),
    reporter_id INTEGER REFERENCES person(id),
    -- A villager filing on the public page or through Open311 gives a name and a phone number,
    -- not an ID number: kept sealed like every personal number.
    contact_name_enc TEXT,
    contact_phone_enc TEXT,
    contact_phone_masked TEXT,
    source TEXT,
    category TEXT,
    field TEXT,
    content TEXT NOT NULL,
    address TEXT,
    lat TEXT,
    lon TEXT,
    registered_on TEXT NOT NULL,
    accepted_on TEXT,
    deadline_on TEXT,
    status TEXT NOT NULL,
    concluded_on TEXT,
    outcome TEXT,
    satisfaction TEXT,
    handler_org_code TEXT REFERENCES org_unit(code),
    handler_id INTEGER REFERENCES person(id),
    -- How it came in: workbook, desk, visit, public, open311.
    channel TEXT NOT NULL,
    visit_id INTEGER REFERENCES visit(id),
    -- 0 at the handling unit's own level; 1 escalated once (to the township), 2 twice.
    escalation INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX demand_org ON demand(org_code, registered_on);
CREATE INDEX demand_handler ON demand(status, handler_org_code, deadline_on);
-- The list's usual filters (status, then category) within a subtree, sorted by date.
CREATE INDEX demand_status_org ON demand(status, org_code, registered_on);
CREATE INDEX demand_status_cat_org ON demand(status, category, org_code, registered_on);
CREATE INDEX demand_concluded ON demand(concluded_on);
CREATE INDEX demand_created ON demand(created_at);
CREATE INDEX demand_household ON demand(household_id);

-- Every change of a demand: who, when, what and why. Public rows show on the tracking page.
CREATE TABLE demand_event (
    id INTEGER PRIMARY KEY,
    demand_id INTEGER NOT NULL REFERENCES demand(id),
    at INTEGER NOT NULL,
    user_id INTEGER REFERENCES app_user(id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    from_org TEXT,
    to_org TEXT,
    comment TEXT,
    public INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX demand_event_demand ON demand_event(demand_id, id);

-- The holiday calendar of a year as administrators keep it (the text format of
-- xingcun_domain::calendar); a stored year replaces the shipped schedule of that year.
CREATE TABLE holiday_year (
    year INTEGER PRIMARY KEY,
    lines TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES app_user(id)
);

-- The notification outbox: written in the transaction of the change it announces, delivered
-- by a job to the configured webhook with retries. A row is claimed with a lease
-- (claimed_by, claimed_until) so two server processes never deliver the same row at once.
CREATE TABLE notification (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    demand_id INTEGER REFERENCES demand(id),
    org_code TEXT,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claimed_until INTEGER,
    delivered_at INTEGER,
    last_error TEXT
);
CREATE INDEX notification_due ON notification(delivered_at, next_at);

-- Every delivery attempt: the delivery log.
CREATE TABLE notification_attempt (
    id INTEGER PRIMARY KEY,
    notification_id INTEGER NOT NULL REFERENCES notification(id),
    at INTEGER NOT NULL,
    worker TEXT NOT NULL,
    status INTEGER,
    error TEXT
);
CREATE INDEX notification_attempt_of ON notification_attempt(notification_id);

-- Work phone numbers shown on a village's public page (有事找谁): office lines, published on
-- purpose, so kept in the clear and apart from the sealed personal numbers.
CREATE TABLE work_phone (
    person_id INTEGER PRIMARY KEY REFERENCES person(id),
    phone TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
