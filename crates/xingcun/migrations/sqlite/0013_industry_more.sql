-- Industry, continued (docs/workbook-modules.md): modern agricultural parks (现代农业园区),
-- partnerships with research institutes (科技合作), product brands (农产品品牌) and
-- geographic-indication products (地理标志产品) with their registrations (登记).

CREATE TABLE agri_park (
    id INTEGER PRIMARY KEY,
    park_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- A village or a township.
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- district, city, province, national
    level TEXT NOT NULL,
    -- 面积 in 亩, as the workbook cell gives it.
    area TEXT,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX agri_park_org ON agri_park(org_code, starts_on);

CREATE TABLE tech_partnership (
    id INTEGER PRIMARY KEY,
    partnership_no TEXT NOT NULL UNIQUE,
    institute TEXT NOT NULL,
    topic TEXT NOT NULL,
    -- Varieties and techniques introduced (引进品种技术).
    introduced TEXT,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- The business taking part, when there is one.
    credit_code TEXT REFERENCES business(credit_code),
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX tech_partnership_org ON tech_partnership(org_code, starts_on);

CREATE TABLE brand (
    id INTEGER PRIMARY KEY,
    brand_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- The owner: a business of the registry, else a name.
    credit_code TEXT REFERENCES business(credit_code),
    owner_name TEXT,
    -- applied, certified
    status TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    certified_on TEXT,
    products TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX brand_org ON brand(org_code, certified_on);

CREATE TABLE geo_product (
    id INTEGER PRIMARY KEY,
    product_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX geo_product_org ON geo_product(org_code);

CREATE TABLE geo_registration (
    id INTEGER PRIMARY KEY,
    registration_no TEXT NOT NULL UNIQUE,
    product_id INTEGER NOT NULL REFERENCES geo_product(id),
    -- The product's unit.
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- agri_gi (农产品地理标志), gi_trademark (地理标志商标), gi_protected (地理标志保护产品)
    kind TEXT NOT NULL,
    -- applied, registered
    status TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    registered_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX geo_registration_product ON geo_registration(product_id);
CREATE INDEX geo_registration_org ON geo_registration(org_code, registered_on);
