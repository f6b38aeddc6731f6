//! The API's error bodies, in the shapes Scalingo clients parse:
//! `{"error":…}` for 400/401/403/409/429, `{"resource":…,"error":"not found"}` for 404 and
//! `{"errors":{"field":[…]}}` for 422. Messages are in the caller's language
//! (`Accept-Language`), from the same catalogue as the pages.

use app::error::AppError;
use app::i18n::{Key, Lang};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde_json::{json, Map, Value};

#[derive(Debug)]
pub enum ApiError {
    /// 400, 401, 403, 409, 429, 503: one message.
    Message {
        status: StatusCode,
        message: String,
        retry_after: Option<u64>,
    },
    NotFound(&'static str),
    /// Field name and messages; never empty.
    Invalid(Vec<(String, String)>),
    /// The request id the cause was logged under; the body says only the id.
    Internal(String),
}

impl ApiError {
    pub fn status(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError::Message {
            status,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::status(StatusCode::UNAUTHORIZED, message)
    }

    pub fn too_many(message: impl Into<String>, retry_after_secs: u64) -> ApiError {
        ApiError::Message {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: message.into(),
            retry_after: Some(retry_after_secs.max(1)),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::status(StatusCode::BAD_REQUEST, message)
    }

    /// The host's typed error for an API caller; `resource` names what a 404 was about.
    pub fn from_app(error: AppError, resource: &'static str, lang: Lang) -> ApiError {
        let text = |key: Key| key.text(lang).to_string();
        match error {
            AppError::NotFound => ApiError::NotFound(resource),
            AppError::Invalid(errors) => ApiError::Invalid(
                errors
                    .into_iter()
                    .map(|e| (api_field(&e.field).to_string(), text(e.key)))
                    .collect(),
            ),
            AppError::Conflict(key) => ApiError::status(StatusCode::CONFLICT, text(key)),
            AppError::RateLimited { retry_after_secs } => {
                ApiError::too_many(text(Key::ErrTooManyAttempts), retry_after_secs)
            }
            AppError::SessionExpired => ApiError::unauthorized("invalid credentials"),
            AppError::Forbidden | AppError::ReauthRequired => ApiError::status(StatusCode::FORBIDDEN, "forbidden"),
            AppError::BadRequest => ApiError::bad_request("bad request"),
            AppError::Busy => ApiError::Message {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: text(Key::ErrBusy),
                retry_after: Some(2),
            },
            AppError::Internal { reference } => ApiError::Internal(reference),
            AppError::Network => ApiError::Internal(String::new()),
        }
    }
}

/// The tab's form field names, as the API's JSON names them.
fn api_field(field: &str) -> &str {
    match field {
        "key_name" | "token_name" => "name",
        "key_content" => "content",
        "expiry" | "expiry_date" => "expires_at",
        "access" => "scopes",
        "new_password" => "password",
        "confirm_password" => "password_confirmation",
        "new_email" => "email",
        "enable_code" | "disable_code" => "attempt",
        "lang" => "locale",
        other => other,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body, retry_after) = match self {
            ApiError::Message {
                status,
                message,
                retry_after,
            } => (status, json!({ "error": message }), retry_after),
            ApiError::NotFound(resource) => (
                StatusCode::NOT_FOUND,
                json!({ "resource": resource, "error": "not found" }),
                None,
            ),
            ApiError::Invalid(errors) => {
                let mut fields = Map::new();
                for (field, message) in errors {
                    let entry = fields.entry(field).or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(list) = entry {
                        list.push(Value::String(message));
                    }
                }
                (StatusCode::UNPROCESSABLE_ENTITY, json!({ "errors": fields }), None)
            }
            ApiError::Internal(reference) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "error": "internal error", "reference": reference }),
                None,
            ),
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(secs) = retry_after {
            if let Ok(value) = HeaderValue::from_str(&secs.max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
