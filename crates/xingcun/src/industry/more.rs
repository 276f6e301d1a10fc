//! 三、做强产业支撑, the simpler registries: modern agricultural parks (`/industry/parks`),
//! partnerships with research institutes (`/industry/partnerships`), brands (`/industry/brands`)
//! and geographic-indication products with their registrations (`/industry/geo-products`).
//! Records come in through the workbook's 现代农业园区, 科技合作, 农产品品牌, 地理标志产品 and
//! 地理标志登记 sheets (`workbook/sheets/more.rs`, rules in `workbook/check/more.rs`) or their
//! forms; the figures are in `indicators/industry_more.rs`.

use axum::extract::{Query, State};
use axum::response::Response;
use sqlx::Row;

use crate::accounts::CurrentUser;
use crate::app::AppState;
use crate::error::AppResult;
use crate::web::Ctx;
use crate::web::list::Cell;
use crate::web::records::{ListKind, ListParams, list, o, t};
use crate::workbook::sheets::{self, BRAND_STATUSES, PARK_LEVELS};

const LINE: &str = "做强产业支撑";

fn word(r: &sqlx::any::AnyRow, i: usize, w: &sheets::Words) -> Result<Cell, sqlx::Error> {
    let code: String = r.try_get(i)?;
    Ok(Cell::text(w.word(&code)))
}

pub static PARKS: ListKind = ListKind {
    path: "/industry/parks",
    title: "现代农业园区",
    line: LINE,
    sheet: &sheets::AGRI_PARKS,
    columns: &[
        "园区编号",
        "名称",
        "所在区划",
        "级别",
        "面积（亩）",
        "开始日期",
        "结束日期",
    ],
    select: "t.park_no, t.name, o.name, t.level, t.area, t.starts_on, t.ends_on",
    from: "agri_park t JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.park_no", "t.name"],
    states: &[
        (
            "active",
            "运营中",
            "t.starts_on <= {today} AND (t.ends_on IS NULL OR t.ends_on > {today})",
        ),
        (
            "ended",
            "已结束",
            "t.ends_on IS NOT NULL AND t.ends_on <= {today}",
        ),
        ("national", "国家级", "t.level = 'national'"),
        ("province", "省级", "t.level = 'province'"),
        ("city", "市级", "t.level = 'city'"),
        ("district", "区级", "t.level = 'district'"),
    ],
    date: None,
    edit_links: true,
    titled_export: false,
    attachments: Some("park"),
    extra: None,
    order: "t.org_code, t.park_no",
    cells: |r| {
        Ok(vec![
            t(r, 0)?,
            t(r, 1)?,
            t(r, 2)?,
            word(r, 3, &PARK_LEVELS)?,
            o(r, 4)?,
            t(r, 5)?,
            o(r, 6)?,
        ])
    },
};

pub static PARTNERSHIPS: ListKind = ListKind {
    path: "/industry/partnerships",
    title: "科技合作",
    line: LINE,
    sheet: &sheets::TECH_PARTNERSHIPS,
    columns: &[
        "合作编号",
        "科研院所",
        "合作内容",
        "引进品种技术",
        "所在村",
        "经营主体",
        "开始日期",
        "结束日期",
    ],
    select: "t.partnership_no, t.institute, t.topic, t.introduced, o.name, b.name, t.starts_on,
             t.ends_on",
    from: "tech_partnership t JOIN org_unit o ON o.code = t.org_code
           LEFT JOIN business b ON b.credit_code = t.credit_code",
    org: "t.org_code",
    text: &["t.partnership_no", "t.institute", "t.topic"],
    states: &[
        (
            "active",
            "合作中",
            "t.starts_on <= {today} AND (t.ends_on IS NULL OR t.ends_on > {today})",
        ),
        (
            "ended",
            "已结束",
            "t.ends_on IS NOT NULL AND t.ends_on <= {today}",
        ),
    ],
    date: None,
    edit_links: true,
    titled_export: false,
    attachments: None,
    extra: None,
    order: "t.org_code, t.partnership_no",
    cells: |r| {
        Ok(vec![
            t(r, 0)?,
            t(r, 1)?,
            t(r, 2)?,
            o(r, 3)?,
            t(r, 4)?,
            o(r, 5)?,
            t(r, 6)?,
            o(r, 7)?,
        ])
    },
};

pub static BRANDS: ListKind = ListKind {
    path: "/industry/brands",
    title: "农产品品牌",
    line: LINE,
    sheet: &sheets::BRANDS,
    columns: &[
        "品牌编号",
        "品牌名称",
        "所在村",
        "所有者",
        "状态",
        "申请日期",
        "认定日期",
        "产品",
    ],
    select: "t.brand_no, t.name, o.name, COALESCE(b.name, t.owner_name), t.status, t.applied_on,
             t.certified_on, t.products",
    from: "brand t JOIN org_unit o ON o.code = t.org_code
           LEFT JOIN business b ON b.credit_code = t.credit_code",
    org: "t.org_code",
    text: &["t.brand_no", "t.name", "t.products"],
    states: &[
        ("applied", "申请中", "t.status = 'applied'"),
        ("certified", "已认定", "t.status = 'certified'"),
    ],
    date: Some("t.certified_on"),
    edit_links: true,
    titled_export: false,
    attachments: Some("brand"),
    extra: None,
    order: "t.org_code, t.brand_no",
    cells: |r| {
        Ok(vec![
            t(r, 0)?,
            t(r, 1)?,
            t(r, 2)?,
            o(r, 3)?,
            word(r, 4, &BRAND_STATUSES)?,
            t(r, 5)?,
            o(r, 6)?,
            o(r, 7)?,
        ])
    },
};

/// One row per product; its registrations in one column (地理标志登记 are entered by their own
/// form, from the 新增 of this list's sheet or the workbook).
pub static GEO_PRODUCTS: ListKind = ListKind {
    path: "/industry/geo-products",
    title: "地理标志产品",
    line: LINE,
    sheet: &sheets::GEO_PRODUCTS,
    columns: &["产品编号", "产品名称", "所在村", "已登记", "申请中", "简介"],
    select: "t.product_no, t.name, o.name,
             (SELECT COUNT(*) FROM geo_registration g
               WHERE g.product_id = t.id AND g.status = 'registered'),
             (SELECT COUNT(*) FROM geo_registration g
               WHERE g.product_id = t.id AND g.status = 'applied'),
             t.notes",
    from: "geo_product t JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.product_no", "t.name"],
    states: &[
        (
            "registered",
            "已登记",
            "EXISTS (SELECT 1 FROM geo_registration g
                      WHERE g.product_id = t.id AND g.status = 'registered')",
        ),
        (
            "applied_only",
            "仅在申请",
            "NOT EXISTS (SELECT 1 FROM geo_registration g
                          WHERE g.product_id = t.id AND g.status = 'registered')",
        ),
    ],
    date: None,
    edit_links: true,
    titled_export: false,
    attachments: None,
    extra: None,
    order: "t.org_code, t.product_no",
    cells: |r| {
        Ok(vec![
            t(r, 0)?,
            t(r, 1)?,
            t(r, 2)?,
            Cell::Int(r.try_get(3)?),
            Cell::Int(r.try_get(4)?),
            o(r, 5)?,
        ])
    },
};

/// Every registration (登记), with its product.
pub static GEO_REGISTRATIONS: ListKind = ListKind {
    path: "/industry/geo-registrations",
    title: "地理标志登记",
    line: LINE,
    sheet: &sheets::GEO_REGISTRATIONS,
    columns: &[
        "登记编号",
        "产品编号",
        "产品名称",
        "登记类型",
        "状态",
        "申请日期",
        "登记日期",
    ],
    select: "t.registration_no, p.product_no, p.name, t.kind, t.status, t.applied_on,
             t.registered_on",
    from: "geo_registration t JOIN geo_product p ON p.id = t.product_id",
    org: "t.org_code",
    text: &["t.registration_no", "p.product_no", "p.name"],
    states: &[
        ("applied", "申请中", "t.status = 'applied'"),
        ("registered", "已登记", "t.status = 'registered'"),
    ],
    date: Some("t.registered_on"),
    edit_links: true,
    titled_export: false,
    attachments: None,
    extra: None,
    order: "p.product_no, t.registration_no",
    cells: |r| {
        Ok(vec![
            t(r, 0)?,
            t(r, 1)?,
            t(r, 2)?,
            word(r, 3, &sheets::GEO_KINDS)?,
            word(r, 4, &sheets::GEO_STATUSES)?,
            t(r, 5)?,
            o(r, 6)?,
        ])
    },
};

/// `GET /industry/parks`.
pub async fn list_parks(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&PARKS, s, ctx, user, p).await
}

/// `GET /industry/partnerships`.
pub async fn list_partnerships(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&PARTNERSHIPS, s, ctx, user, p).await
}

/// `GET /industry/brands`.
pub async fn list_brands(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&BRANDS, s, ctx, user, p).await
}

/// `GET /industry/geo-products`.
pub async fn list_geo_products(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&GEO_PRODUCTS, s, ctx, user, p).await
}

/// `GET /industry/geo-registrations`.
pub async fn list_geo_registrations(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&GEO_REGISTRATIONS, s, ctx, user, p).await
}
