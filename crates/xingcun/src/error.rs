//! Error policy.
//!
//! - Domain rules (`xingcun-domain`) and storage return `thiserror` errors.
//! - The CLI and background jobs use `anyhow`.
//! - Handlers return [`AppError`], which turns into a Chinese HTML page or, under `/api/`, the
//!   one JSON envelope `{"error":{"code":"…","message":"…"}}` with a stable machine code.
//! - A 5xx logs the whole error chain and shows only a plain message; a 4xx tells the user what
//!   was wrong and how to fix it.

use axum::http::StatusCode;

/// The error every handler returns.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("未登录或登录已过期，请重新登录")]
    Unauthenticated,
    #[error("没有权限执行此操作")]
    Forbidden,
    /// Also returned for records outside the user's part of the org tree: their existence is
    /// not revealed.
    #[error("未找到该记录")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    /// Form or field validation failed; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// A stale edit: the record changed since the form was opened.
    #[error("该记录已被他人修改，请刷新后重试")]
    Conflict,
    #[error("请求过于频繁，请稍后再试")]
    TooManyRequests,
    #[error("表单已失效，请刷新页面后重试")]
    Csrf,
    #[error("请求内容过大")]
    PayloadTooLarge,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if matches!(e, sqlx::Error::RowNotFound) {
            return AppError::NotFound;
        }
        AppError::Internal(anyhow::Error::new(e))
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine code of the JSON envelope.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Invalid(_) => "invalid",
            AppError::Conflict => "conflict",
            AppError::TooManyRequests => "too_many_requests",
            AppError::Csrf => "csrf",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::Internal(_) => "internal",
        }
    }

    /// What the user is shown: never the internals of a 5xx.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => {
                "服务器内部错误，请稍后重试；如持续出现请联系管理员".to_string()
            }
            other => other.to_string(),
        }
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        AppError::Invalid(msg.into())
    }
}

pub type AppResult<T> = Result<T, AppError>;
