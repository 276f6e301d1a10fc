//! The JSON API under `/api/v1`: its OpenAPI document and a browsable page that works offline.
//! Handlers live with their modules; errors use the one envelope of [`crate::web::ErrorEnvelope`].

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use minijinja::context;

use crate::app::AppState;
use crate::error::AppResult;
use crate::web::{Ctx, render};

/// The OpenAPI 3.1 document, kept as a file beside the code so it reads as a contract.
pub const OPENAPI: &str = include_str!("openapi.json");

/// `GET /api/v1/openapi.json`
pub async fn openapi_json() -> Response {
    ([(CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// One operation, for the browsable page.
#[derive(Debug, serde::Serialize)]
struct Operation {
    method: String,
    path: String,
    summary: String,
    params: Vec<(String, String, String)>,
}

/// `GET /api/docs`: the OpenAPI document rendered as a page, no external script.
pub async fn api_docs(
    axum::extract::State(state): axum::extract::State<AppState>,
    ctx: Ctx,
) -> AppResult<Response> {
    let doc: serde_json::Value =
        serde_json::from_str(OPENAPI).map_err(|e| crate::error::AppError::Internal(e.into()))?;
    let mut ops = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let params = op
                    .get("parameters")
                    .and_then(|p| p.as_array())
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        let s = |k: &str| {
                            p.get(k)
                                .and_then(|v| v.as_str())
                                .unwrap_or_default()
                                .to_string()
                        };
                        (s("name"), s("in"), s("description"))
                    })
                    .collect();
                ops.push(Operation {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary: op
                        .get("summary")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    params,
                });
            }
        }
    }
    Ok(render(&state, &ctx, "pages/api_docs.html", context! { ops => ops })?.into_response())
}
