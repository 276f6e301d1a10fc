-- Branch work, continued (docs/workbook-modules.md): the configurable branch standard (达标标准,
-- its sections 标准分项 and criteria 标准指标) with the scores of an assessment (达标评分);
-- objections to an honour during its public notice (荣誉异议); contests of branch secretaries
-- (擂台赛) with their criteria, contestants, judges and scores.
--
-- A standard is platform-wide configuration, not a record of a unit: its tables carry no
-- org_code, and sections and criteria refer to their parent by its code (text), as the sheets do.
-- Numbers from the sheets (points, marks, scores, months) are kept as the canonical text of the
-- cell, like 投资金额 and 得分 of 0011.

CREATE TABLE branch_standard (
    id INTEGER PRIMARY KEY,
    standard_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- The standard applies to assessments dated on or after this day (the latest such wins).
    effective_on TEXT NOT NULL,
    -- Total needed for 达标, and for 示范.
    pass_mark TEXT NOT NULL,
    model_mark TEXT,
    -- A branch is due for reassessment this many months after its latest assessment.
    interval_months TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE standard_section (
    id INTEGER PRIMARY KEY,
    section_code TEXT NOT NULL UNIQUE,
    standard_no TEXT NOT NULL REFERENCES branch_standard(standard_no),
    seq TEXT NOT NULL,
    name TEXT NOT NULL,
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX standard_section_standard ON standard_section(standard_no);

CREATE TABLE standard_criterion (
    id INTEGER PRIMARY KEY,
    criterion_code TEXT NOT NULL UNIQUE,
    section_code TEXT NOT NULL REFERENCES standard_section(section_code),
    seq TEXT NOT NULL,
    content TEXT NOT NULL,
    points TEXT NOT NULL,
    evidence TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX standard_criterion_section ON standard_criterion(section_code);

-- 达标评分: one criterion's score in one assessment.
CREATE TABLE assessment_score (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES branch_assessment(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    criterion_code TEXT NOT NULL,
    score TEXT NOT NULL,
    evidence TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (assessment_id, criterion_code)
);
CREATE INDEX assessment_score_org ON assessment_score(org_code);

-- 荣誉异议: an objection lodged during an honour's public notice, and how it was handled.
CREATE TABLE honor_objection (
    id INTEGER PRIMARY KEY,
    honor_id INTEGER NOT NULL REFERENCES honor(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    objection_no TEXT NOT NULL,
    lodged_on TEXT NOT NULL,
    lodged_by TEXT NOT NULL,
    content TEXT NOT NULL,
    result TEXT,
    handled_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (honor_id, objection_no)
);
CREATE INDEX honor_objection_org ON honor_objection(org_code);

-- 擂台赛: a contest of branch secretaries.
CREATE TABLE contest (
    id INTEGER PRIMARY KEY,
    contest_no TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    -- 1: with three judges or more, one highest and one lowest judge total are dropped.
    drop_extremes INTEGER NOT NULL DEFAULT 0,
    -- draft, scoring, published (xingcun_domain::enums::ContestStatus)
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX contest_org ON contest(org_code);

CREATE TABLE contest_criterion (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    criterion_no TEXT NOT NULL,
    name TEXT NOT NULL,
    max_points TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (contest_id, criterion_no)
);

CREATE TABLE contestant (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    person_id INTEGER NOT NULL REFERENCES person(id),
    -- The village whose branch the contestant leads.
    village_code TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (contest_id, person_id)
);

-- A judge is an account (its username): the score form is open to the contest's judges only.
CREATE TABLE contest_judge (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    username TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (contest_id, username)
);

CREATE TABLE contest_score (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contest(id),
    org_code TEXT NOT NULL REFERENCES org_unit(code),
    judge TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person(id),
    criterion_no TEXT NOT NULL,
    score TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (contest_id, judge, person_id, criterion_no)
);

-- The default standard (标准 BZ2024): 100 points in five sections, two of them the district's
-- own requirement sets, 五个精准 and 四个一. 80 points pass (达标), 90 make a 示范; every two years.
INSERT INTO branch_standard (standard_no, name, effective_on, pass_mark, model_mark, interval_months, created_at, updated_at)
VALUES ('BZ2024', '村(社区)党组织标准化规范化建设标准', '2020-01-01', '80', '90', '24', 0, 0);

INSERT INTO standard_section (section_code, standard_no, seq, name, note, created_at, updated_at) VALUES
('BZ2024-1', 'BZ2024', '1', '组织设置与班子建设', NULL, 0, 0),
('BZ2024-2', 'BZ2024', '2', '五个精准', '精准识别、精准施策、精准服务、精准管理、精准考评', 0, 0),
('BZ2024-3', 'BZ2024', '3', '四个一', '一月一主题党日、一季一堂党课、一年一次评议、一户一名联系党员', 0, 0),
('BZ2024-4', 'BZ2024', '4', '阵地建设与基本保障', NULL, 0, 0),
('BZ2024-5', 'BZ2024', '5', '作用发挥', NULL, 0, 0);

INSERT INTO standard_criterion (criterion_code, section_code, seq, content, points, evidence, created_at, updated_at) VALUES
('BZ2024-1-1', 'BZ2024-1', '1', '党组织按期换届，设置符合党章和有关规定', '5', '换届选举批复、组织设置文件', 0, 0),
('BZ2024-1-2', 'BZ2024-1', '2', '书记政治过硬、带富能力强，班子结构合理、团结协作', '5', '班子成员名册、年度述职材料', 0, 0),
('BZ2024-1-3', 'BZ2024-1', '3', '落实“四议两公开”，重大事项集体决策', '5', '会议记录、公开栏照片', 0, 0),
('BZ2024-1-4', 'BZ2024-1', '4', '后备力量充足，每村储备后备人才2名以上', '5', '后备人才库名单', 0, 0),
('BZ2024-2-1', 'BZ2024-2', '1', '精准识别：党员队伍底数清，流动党员去向明', '5', '党员花名册、流动党员台账', 0, 0),
('BZ2024-2-2', 'BZ2024-2', '2', '精准施策：针对本村短板制定年度提升计划', '5', '年度工作计划', 0, 0),
('BZ2024-2-3', 'BZ2024-2', '3', '精准服务：群众诉求件件有登记、有回应', '5', '诉求登记和办理记录', 0, 0),
('BZ2024-2-4', 'BZ2024-2', '4', '精准管理：党员积分管理和联户责任落实到人', '5', '积分台账、联户名单', 0, 0),
('BZ2024-2-5', 'BZ2024-2', '5', '精准考评：年度考评结果与奖惩挂钩', '5', '考评记录', 0, 0),
('BZ2024-3-1', 'BZ2024-3', '1', '一月一主题党日，全年不少于12次', '5', '主题党日记录、照片', 0, 0),
('BZ2024-3-2', 'BZ2024-3', '2', '一季一堂党课，书记每年至少讲1次', '5', '党课记录、讲稿', 0, 0),
('BZ2024-3-3', 'BZ2024-3', '3', '一年一次民主评议党员', '5', '评议记录和结果', 0, 0),
('BZ2024-3-4', 'BZ2024-3', '4', '一户一名联系党员，联系户走访全覆盖', '5', '联户名单、走访记录', 0, 0),
('BZ2024-4-1', 'BZ2024-4', '1', '村级活动场所面积达标、功能齐全、标识规范', '5', '场所照片', 0, 0),
('BZ2024-4-2', 'BZ2024-4', '2', '村级运转经费和干部报酬按时足额落实', '5', '经费拨付凭证', 0, 0),
('BZ2024-4-3', 'BZ2024-4', '3', '党务村务财务公开及时规范', '5', '公开栏照片、公开记录', 0, 0),
('BZ2024-5-1', 'BZ2024-5', '1', '村集体经济有稳定收入，逐年增长', '7', '集体经济收支账', 0, 0),
('BZ2024-5-2', 'BZ2024-5', '2', '每年为群众办成实事2件以上', '7', '实事清单、验收材料', 0, 0),
('BZ2024-5-3', 'BZ2024-5', '3', '矛盾纠纷就地化解，无越级上访和重大安全事件', '6', '排查化解台账', 0, 0);
