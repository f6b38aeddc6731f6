//! The one error every server function returns. The page matches on it and shows a translated
//! message; the host never puts a database message in it (it logs the cause under the request
//! id and sends the id, as `Internal { reference }`).

use crate::i18n::Key;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// One refused field: the form field's name and what to fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub key: Key,
}

impl FieldError {
    pub fn new(field: &str, key: Key) -> Self {
        FieldError {
            field: field.to_string(),
            key,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session: never signed in, signed out elsewhere, or expired.
    #[error("session expired")]
    SessionExpired,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The request could not be read (missing or malformed arguments).
    #[error("bad request")]
    BadRequest,
    /// Per-field problems; never empty.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The input is valid but the current state refuses it.
    #[error("conflict")]
    Conflict(Key),
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("busy")]
    Busy,
    /// A sensitive change, and the password was last confirmed too long ago.
    #[error("re-authentication required")]
    ReauthRequired,
    /// Something failed on the server; `reference` is the request id in the server's log.
    #[error("internal error {reference}")]
    Internal { reference: String },
    /// The browser could not reach the server or read its answer.
    #[error("network")]
    Network,
}

impl AppError {
    pub fn invalid(field: &str, key: Key) -> Self {
        AppError::Invalid(vec![FieldError::new(field, key)])
    }

    /// The HTTP status a JavaScript caller receives (no-JS posts are redirected instead).
    pub fn status(&self) -> u16 {
        match self {
            AppError::SessionExpired => 401,
            AppError::Forbidden | AppError::ReauthRequired => 403,
            AppError::NotFound => 404,
            AppError::BadRequest => 400,
            AppError::Invalid(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Busy => 503,
            AppError::Internal { .. } | AppError::Network => 500,
        }
    }

    /// The error for one field, if this is a validation error that names it.
    pub fn field(&self, name: &str) -> Option<Key> {
        match self {
            AppError::Invalid(errors) => errors.iter().find(|e| e.field == name).map(|e| e.key),
            _ => None,
        }
    }
}

/// What a body that cannot be decoded means. On the server it is the request: a hand-made or
/// truncated one. In the browser it is the answer: the server (or a proxy before it) answered
/// with something else than this app's JSON, such as an HTTP 500 page. It was reached, so this
/// is not "could not be reached": it is an error on the server's side.
fn unreadable(on_server: bool) -> AppError {
    if on_server {
        AppError::BadRequest
    } else {
        AppError::Internal {
            reference: String::new(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let unreadable = unreadable(cfg!(feature = "ssr"));
        match value {
            // The server could not read the arguments: a hand-made or truncated request.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            ServerFnErrorErr::Deserialization(_) | ServerFnErrorErr::Serialization(_) => unreadable,
            // In the browser: the request never got an answer.
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            ServerFnErrorErr::Registration(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_)
            | ServerFnErrorErr::ServerError(_)
            | ServerFnErrorErr::MiddlewareError(_) => AppError::Internal {
                reference: String::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_as_json() {
        let error = AppError::Invalid(vec![FieldError::new("username", Key::ErrUsernameTaken)]);
        assert_eq!(AppError::de(error.ser()), error);
    }

    #[test]
    fn unreadable_arguments_are_a_bad_request_not_an_internal_error() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into()));
        assert_eq!((error.clone(), error.status()), (AppError::BadRequest, 400));
    }

    #[test]
    fn an_unreadable_answer_is_the_servers_error_not_the_network() {
        assert_eq!(unreadable(true), AppError::BadRequest);
        assert_eq!(
            unreadable(false),
            AppError::Internal {
                reference: String::new()
            }
        );
        let problems = crate::components::Problems::from_error(&unreadable(false));
        assert_eq!(problems.form, Some(Key::ErrInternalNoReference));
    }

    #[test]
    fn statuses() {
        assert_eq!(AppError::SessionExpired.status(), 401);
        assert_eq!(AppError::invalid("a", Key::ErrRequired).status(), 422);
        assert_eq!(AppError::RateLimited { retry_after_secs: 3 }.status(), 429);
    }
}
