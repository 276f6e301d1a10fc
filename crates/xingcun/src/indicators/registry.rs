//! The registry: every indicator key, once, in the order of indicators.md. A key appears here
//! only when the records it counts exist in the platform; the command line, the API, the
//! overview page and the drill-down pages all read this list and nothing else.

use super::branches;
use super::{Indicator, Line, Measure};
use super::{conduct, events, industry_more};
use super::{demands, governance, industry, outreach, talent};

pub static INDICATORS: &[Indicator] = &[
    // 一、筑先锋堡垒
    Indicator {
        key: "outreach.work_teams",
        name: "「一亲三心」工作队数",
        line: Line::Bastions,
        measure: Measure::Count(&outreach::WORK_TEAMS),
        unit_word: "个",
        definition: "时点D，联系村在本级及下级的工作队中，D时存续（成立日期≤D，撤销日期为空或晚于D）的个数。",
    },
    Indicator {
        key: "outreach.contact_leaders",
        name: "包村乡镇领导数",
        line: Line::Bastions,
        measure: Measure::Count(&outreach::CONTACT_LEADERS),
        unit_word: "人",
        definition: "时点D，对本级及下级村(社区)有在包村记录、且D时在任乡镇领导职务的人数（一人只计一次）。",
    },
    Indicator {
        key: "outreach.village_contact_coverage",
        name: "乡镇领导包村(社区)覆盖率",
        line: Line::Bastions,
        measure: Measure::Ratio {
            numerator: &outreach::CONTACTED_VILLAGES,
            denominator: &outreach::VILLAGES,
        },
        unit_word: "",
        definition: "时点D，至少有一名乡镇领导在包的村(社区)数 ÷ 村(社区)数（不含D前已撤销的村）。",
    },
    Indicator {
        key: "outreach.stationed_cadres",
        name: "专职驻村干部数",
        line: Line::Bastions,
        measure: Measure::Count(&outreach::STATIONED_CADRES),
        unit_word: "人",
        definition: "时点D，在本级及下级村(社区)专职驻村（不论驻村身份）的人数；未填派出单位的，须D时在任乡镇领导或乡镇干部。",
    },
    Indicator {
        key: "outreach.grid_cadres",
        name: "入网村(社区)干部数",
        line: Line::Bastions,
        measure: Measure::Count(&outreach::GRID_CADRES),
        unit_word: "人",
        definition: "时点D，在本级及下级网格有在入网记录、且D时在任村干部职务的人数（一人只计一次）。",
    },
    Indicator {
        key: "outreach.linking_members",
        name: "联户党员数",
        line: Line::Bastions,
        measure: Measure::Count(&outreach::LINKING_MEMBERS),
        unit_word: "人",
        definition: "时点D，对本级及下级农户有在联户记录、且D时为党员的人数（一人只计一次）。",
    },
    Indicator {
        key: "outreach.household_link_coverage",
        name: "农户联系覆盖率",
        line: Line::Bastions,
        measure: Measure::Ratio {
            numerator: &outreach::LINKED_HOUSEHOLDS,
            denominator: &outreach::HOUSEHOLDS,
        },
        unit_word: "",
        definition: "时点D，至少有一名党员在联系的农户数 ÷ 农户数（不含D前已注销的户）。",
    },
    Indicator {
        key: "outreach.visits",
        name: "走访户次",
        line: Line::Bastions,
        measure: Measure::Count(&outreach::VISITS),
        unit_word: "户次",
        definition: "时期F至T，对本级及下级农户的走访中，不同（户编号，走访日期）的个数。",
    },
    Indicator {
        key: "demands.received",
        name: "收集群众诉求数",
        line: Line::Bastions,
        measure: Measure::Count(&demands::RECEIVED),
        unit_word: "件",
        definition: "时期F至T，所属区划在本级及下级、登记日期在F至T之间的诉求件数。",
    },
    Indicator {
        key: "demands.concluded",
        name: "诉求办结数",
        line: Line::Bastions,
        measure: Measure::Count(&demands::CONCLUDED),
        unit_word: "件",
        definition: "时期F至T，所属区划在本级及下级、办结日期在F至T之间的诉求件数。",
    },
    Indicator {
        key: "demands.resolved",
        name: "解决群众\"急难愁盼\"问题数",
        line: Line::Bastions,
        measure: Measure::Count(&demands::RESOLVED),
        unit_word: "件",
        definition: "时期F至T，办结日期在F至T之间且办理结果为已解决的诉求件数。",
    },
    Indicator {
        key: "demands.open",
        name: "在办诉求数",
        line: Line::Bastions,
        measure: Measure::Count(&demands::OPEN),
        unit_word: "件",
        definition: "时点D，登记日期不晚于D、且办结日期为空或晚于D的诉求件数。",
    },
    Indicator {
        key: "demands.on_time_rate",
        name: "按时办结率",
        line: Line::Bastions,
        measure: Measure::Ratio {
            numerator: &demands::CONCLUDED_ON_TIME,
            denominator: &demands::CONCLUDED,
        },
        unit_word: "",
        definition: "时期F至T办结的诉求中，办结日期不晚于办理时限的件数 ÷ 办结件数。",
    },
    Indicator {
        key: "demands.satisfaction_rate",
        name: "群众满意率",
        line: Line::Bastions,
        measure: Measure::Ratio {
            numerator: &demands::SATISFIED,
            denominator: &demands::JUDGED,
        },
        unit_word: "",
        definition: "时期F至T办结且已评价的诉求中，评价为满意或基本满意的件数 ÷ 已评价件数。",
    },
    Indicator {
        key: "branches.weak_rectified",
        name: "整顿提升软弱涣散村(社区)党组织数",
        line: Line::Bastions,
        measure: Measure::Count(&branches::WEAK_RECTIFIED),
        unit_word: "个",
        definition: "时期F至T，所在区划在本级及下级的村(社区)党组织中，有整顿在F至T之间验收销号的个数（一个组织只计一次）。",
    },
    Indicator {
        key: "branches.problems_solved",
        name: "解决突出问题数",
        line: Line::Bastions,
        measure: Measure::Count(&branches::PROBLEMS_SOLVED),
        unit_word: "个",
        definition: "时期F至T，所在区划在本级及下级的党组织的整顿问题中，解决日期在F至T之间的个数。",
    },
    Indicator {
        key: "branches.practical_projects",
        name: "兴办实事数",
        line: Line::Bastions,
        measure: Measure::Count(&branches::PROJECTS_COMPLETED),
        unit_word: "件",
        definition: "时期F至T，所在村在本级及下级、完成日期在F至T之间的实事件数。",
    },
    Indicator {
        key: "branches.standardized",
        name: "标准化村(社区)党组织数",
        line: Line::Bastions,
        measure: Measure::Count(&branches::STANDARDIZED),
        unit_word: "个",
        definition: "时点D，所在区划在本级及下级村(社区)的村级党组织（村的最上级党组织，不论类型）中，D及以前最近一次达标评定（同日以最后登记的为准）结果为示范或达标的个数。",
    },
    Indicator {
        key: "branches.model_sites",
        name: "党建示范点数",
        line: Line::Bastions,
        measure: Measure::Count(&branches::MODEL_SITES),
        unit_word: "个",
        definition: "时点D，所属区划在本级及下级、D时有效（命名日期≤D，撤销日期为空或晚于D）的党建示范点个数。",
    },
    Indicator {
        key: "honors.good_secretaries",
        name: "担当作为好支书数",
        line: Line::Bastions,
        measure: Measure::Count(&branches::GOOD_SECRETARIES),
        unit_word: "人",
        definition: "时期F至T，所属区划在本级及下级、授予日期在F至T之间的好支书荣誉的获得者人数（一人只计一次）。",
    },
    Indicator {
        key: "honors.prosperity_pioneers",
        name: "带富致富先锋数",
        line: Line::Bastions,
        measure: Measure::Count(&branches::PROSPERITY_PIONEERS),
        unit_word: "人",
        definition: "时期F至T，所属区划在本级及下级、授予日期在F至T之间的带富致富先锋荣誉的获得者人数（一人只计一次）。",
    },
    // 二、抓队伍建设
    Indicator {
        key: "talent.professional_secretaries",
        name: "专业化管理村(社区)党组织书记数",
        line: Line::Cadres,
        measure: Measure::Count(&talent::PROFESSIONAL_SECRETARIES),
        unit_word: "人",
        definition: "时点D，本级及下级村(社区)中在任党组织书记职务标记为专业化管理的人数（一人只计一次）。",
    },
    Indicator {
        key: "talent.degree_upgrades",
        name: "参加学历提升村干部数",
        line: Line::Cadres,
        measure: Measure::Count(&talent::DEGREE_UPGRADES),
        unit_word: "人",
        definition: "时期F至T，所属区划在本级及下级、入学日期在F至T之间、目标层次为大学专科及以上，且入学日期当天在任村干部的学历提升人数（一人只计一次）。",
    },
    Indicator {
        key: "talent.college_cadre_coverage",
        name: "\"一村一名大学生村干部\"覆盖率",
        line: Line::Cadres,
        measure: Measure::Ratio {
            numerator: &talent::COLLEGE_COVERED_VILLAGES,
            denominator: &talent::ADMIN_VILLAGES,
        },
        unit_word: "",
        definition: "时点D，至少有一名最高学历为大学专科及以上的在任村干部的行政村数 ÷ 行政村数（不含社区，不含D前已撤销的村）。",
    },
    Indicator {
        key: "talent.reserve_pool",
        name: "后备人才数",
        line: Line::Cadres,
        measure: Measure::Count(&talent::RESERVE_POOL),
        unit_word: "人",
        definition: "时点D，所属区划在本级及下级、入库日期不晚于D且出库日期为空或晚于D的后备人才人数（一人只计一次）。",
    },
    Indicator {
        key: "talent.advisors",
        name: "村务顾问数",
        line: Line::Cadres,
        measure: Measure::Count(&talent::ADVISORS),
        unit_word: "人",
        definition: "时点D，所在村(社区)在本级及下级、开始日期不晚于D且结束日期为空或晚于D的村务顾问人数（一人只计一次）。",
    },
    Indicator {
        key: "talent.training_attendances",
        name: "培训人次",
        line: Line::Cadres,
        measure: Measure::Count(&talent::TRAINING_ATTENDANCES),
        unit_word: "人次",
        definition: "时期F至T，开始日期在F至T之间的培训班的参训记录中，参训记录所属区划在本级及下级的条数（一人参加一期计一人次）。",
    },
    Indicator {
        key: "talent.committee_avg_age",
        name: "村(社区)\"两委\"成员平均年龄",
        line: Line::Cadres,
        measure: Measure::MeanAge(&talent::COMMITTEE_MEMBERS),
        unit_word: "岁",
        definition: "时点D，两委成员（在任党组织书记、副书记、委员，村(居)委会主任、副主任、委员，一人只计一次）在D的周岁年龄的平均值，四舍五入保留一位小数。",
    },
    Indicator {
        key: "talent.committee_college_share",
        name: "村(社区)\"两委\"成员大专以上占比",
        line: Line::Cadres,
        measure: Measure::Ratio {
            numerator: &talent::COLLEGE_COMMITTEE_MEMBERS,
            denominator: &talent::COMMITTEE_MEMBERS,
        },
        unit_word: "",
        definition: "时点D，最高学历（全日制学历与在职学历中较高者）为大学专科及以上的两委成员数 ÷ 两委成员数。",
    },
    Indicator {
        key: "talent.committee_female_share",
        name: "村(社区)\"两委\"成员女性占比",
        line: Line::Cadres,
        measure: Measure::Ratio {
            numerator: &talent::FEMALE_COMMITTEE_MEMBERS,
            denominator: &talent::COMMITTEE_MEMBERS,
        },
        unit_word: "",
        definition: "时点D，女性两委成员数 ÷ 两委成员数。",
    },
    // 三、做强产业支撑
    Indicator {
        key: "industry.cooperatives",
        name: "农民专业合作社数",
        line: Line::Industry,
        measure: Measure::Count(&industry::COOPERATIVES),
        unit_word: "个",
        definition: "时点D，所在村在本级及下级的农民专业合作社（含联合社）中，登记日期不晚于D、且注销日期为空或晚于D的个数。",
    },
    Indicator {
        key: "industry.family_farms",
        name: "家庭农场数",
        line: Line::Industry,
        measure: Measure::Count(&industry::FAMILY_FARMS),
        unit_word: "个",
        definition: "时点D，所在村在本级及下级的家庭农场中，登记日期不晚于D、且注销日期为空或晚于D的个数。",
    },
    Indicator {
        key: "industry.households_driven",
        name: "带动农户数",
        line: Line::Industry,
        measure: Measure::Count(&industry::HOUSEHOLDS_DRIVEN),
        unit_word: "户",
        definition: "时点D，与本级及下级D时存续的农民专业合作社或家庭农场有D时有效带动关系（开始日期不晚于D、结束日期为空或晚于D）的不同农户数（农户可在任何地方）。",
    },
    Indicator {
        key: "industry.tourism_projects",
        name: "乡村旅游项目数",
        line: Line::Industry,
        measure: Measure::Count(&industry::TOURISM_PROJECTS),
        unit_word: "个",
        definition: "时点D，所在村在本级及下级的乡村旅游项目中，开始日期不晚于D、且结束日期为空或晚于D的个数。",
    },
    Indicator {
        key: "industry.agri_parks",
        name: "现代农业园区数",
        line: Line::Industry,
        measure: Measure::Count(&industry_more::AGRI_PARKS),
        unit_word: "个",
        definition: "时点D，所在区划在本级及下级的现代农业园区中，开始日期不晚于D、且结束日期为空或晚于D的个数。",
    },
    Indicator {
        key: "industry.brands",
        name: "农产品品牌数",
        line: Line::Industry,
        measure: Measure::Count(&industry_more::BRANDS),
        unit_word: "个",
        definition: "时点D，所在村在本级及下级、状态为已认定且认定日期不晚于D的农产品品牌个数（申请中的不计）。",
    },
    Indicator {
        key: "industry.geo_indications",
        name: "地理标志产品数",
        line: Line::Industry,
        measure: Measure::Count(&industry_more::GEO_INDICATIONS),
        unit_word: "个",
        definition: "时点D，所在村在本级及下级、至少有一项登记日期不晚于D的地理标志登记（已登记）的产品个数；一个产品有多项登记只计一次。",
    },
    Indicator {
        key: "industry.tech_partnerships",
        name: "科技合作项目数",
        line: Line::Industry,
        measure: Measure::Count(&industry_more::TECH_PARTNERSHIPS),
        unit_word: "个",
        definition: "时点D，所在村在本级及下级的科技合作项目中，开始日期不晚于D、且结束日期为空或晚于D的个数。",
    },
    // 四、深化社会治理
    Indicator {
        key: "governance.disputes_found",
        name: "排查矛盾纠纷数",
        line: Line::Governance,
        measure: Measure::Count(&governance::FOUND),
        unit_word: "件",
        definition: "时期F至T，所在村在本级及下级、发现日期在F至T之间的矛盾纠纷件数。",
    },
    Indicator {
        key: "governance.disputes_resolved",
        name: "化解矛盾纠纷数",
        line: Line::Governance,
        measure: Measure::Count(&governance::RESOLVED),
        unit_word: "件",
        definition: "时期F至T，所在村在本级及下级、调处结果为调解成功且办结日期在F至T之间的矛盾纠纷件数。",
    },
    Indicator {
        key: "governance.dispute_resolution_rate",
        name: "矛盾纠纷化解率",
        line: Line::Governance,
        measure: Measure::Ratio {
            numerator: &governance::FOUND_AND_RESOLVED,
            denominator: &governance::FOUND,
        },
        unit_word: "",
        definition: "时期F至T，发现日期在F至T之间、且在T及以前调解成功办结的矛盾纠纷件数 ÷ 发现日期在F至T之间的矛盾纠纷件数。",
    },
    Indicator {
        key: "governance.law_outreach_events",
        name: "\"法律进农村\"活动场次",
        line: Line::Governance,
        measure: Measure::Count(&events::LAW_OUTREACH_EVENTS),
        unit_word: "场",
        definition: "时期F至T，所属区划在本级及下级、活动日期在F至T之间的法律进农村活动场次。",
    },
    Indicator {
        key: "governance.civility_events",
        name: "移风易俗活动场次",
        line: Line::Governance,
        measure: Measure::Count(&events::CIVILITY_EVENTS),
        unit_word: "场",
        definition: "时期F至T，所属区划在本级及下级、活动日期在F至T之间的移风易俗活动场次。",
    },
    // 五、强化作风建设
    Indicator {
        key: "conduct.study_sessions",
        name: "理论学习场次",
        line: Line::Conduct,
        measure: Measure::Count(&conduct::STUDY_SESSIONS),
        unit_word: "场",
        definition: "时期F至T，所在区划在本级及下级的党组织举办、学习日期在F至T之间的理论学习场次。",
    },
    Indicator {
        key: "conduct.supervision_findings",
        name: "监督检查发现问题数",
        line: Line::Conduct,
        measure: Measure::Count(&conduct::SUPERVISION_FINDINGS),
        unit_word: "个",
        definition: "时期F至T，所属区划在本级及下级、发现日期在F至T之间的监督检查发现问题个数。",
    },
    Indicator {
        key: "conduct.exemplars",
        name: "宣传先进典型数",
        line: Line::Conduct,
        measure: Measure::Count(&conduct::EXEMPLARS),
        unit_word: "个",
        definition: "时期F至T，所属区划在本级及下级、发布日期在F至T之间的先进典型个数。",
    },
];

/// The indicator with this key.
pub fn find(key: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.key == key)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::indicators::{Timing, units};

    #[test]
    fn keys_are_unique_and_named_by_their_line() {
        let mut seen = HashSet::new();
        for i in INDICATORS {
            assert!(seen.insert(i.key), "{} twice", i.key);
            let prefix = i.key.split('.').next().unwrap_or_default();
            let lines: &[Line] = match prefix {
                "outreach" | "demands" | "branches" | "honors" => &[Line::Bastions],
                "talent" => &[Line::Cadres],
                "industry" => &[Line::Industry],
                "governance" => &[Line::Governance],
                "conduct" => &[Line::Conduct],
                _ => &[],
            };
            assert!(lines.contains(&i.line), "{} in {:?}", i.key, i.line);
            assert!(!i.name.is_empty() && !i.definition.is_empty());
        }
    }

    #[test]
    fn each_population_uses_exactly_its_timings_parameters() {
        for i in INDICATORS {
            for p in i.populations() {
                let n = p.timing.params();
                for k in 1..=n {
                    assert!(p.sql.contains(&format!("${k}")), "{}: ${k} unused", i.key);
                }
                assert!(!p.sql.contains(&format!("${}", n + 1)), "{}", i.key);
                assert!(p.sql.contains(" AS subject") && p.sql.contains(" AS record"));
            }
        }
    }

    #[test]
    fn a_ratios_parts_share_timing_and_unit_and_a_mean_is_over_people() {
        for i in INDICATORS {
            match i.measure {
                Measure::Ratio {
                    numerator,
                    denominator,
                } => {
                    assert_eq!(numerator.timing, denominator.timing, "{}", i.key);
                    assert!(std::ptr::eq(numerator.unit, denominator.unit), "{}", i.key);
                    assert!(i.unit_word.is_empty());
                }
                Measure::MeanAge(p) => {
                    assert!(std::ptr::eq(p.unit, &units::PERSON), "{}", i.key);
                    assert_eq!(p.timing, Timing::AsOf);
                }
                Measure::Count(_) => {}
            }
        }
    }
}
