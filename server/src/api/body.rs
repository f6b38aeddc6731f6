//! JSON bodies the way Scalingo clients send them: wrapped (`{"key":{…}}`, the Go client) or
//! not (`{"name":…}`, the JS client), sometimes empty. Anything unreadable is a 400 with a
//! JSON error, never a 500.

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A request body type and the key the Go client wraps it in.
pub trait Wrapped: DeserializeOwned {
    const KEY: &'static str;
}

pub struct Body<T>(pub T);

impl<S: Send + Sync, T: Wrapped> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::status(http::StatusCode::PAYLOAD_TOO_LARGE, "the body is too large"))?;
        parse(&bytes).map(Body)
    }
}

pub fn parse<T: Wrapped>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(bytes).map_err(|_| ApiError::bad_request("the body is not valid JSON"))?
    };
    let inner = match value {
        Value::Object(mut map) if map.get(T::KEY).is_some_and(Value::is_object) => {
            map.remove(T::KEY).unwrap_or_default()
        }
        Value::Object(map) => Value::Object(map),
        _ => return Err(ApiError::bad_request("the body must be a JSON object")),
    };
    serde_json::from_value(inner).map_err(|e| ApiError::bad_request(format!("invalid {}: {e}", T::KEY)))
}

/// Query parameters whose refusal is a JSON 400 like every other API error (axum's own
/// `Query` answers plain text).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(query)| ApiQuery(query))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Key {
        name: String,
    }
    impl Wrapped for Key {
        const KEY: &'static str = "key";
    }

    #[test]
    fn wrapped_and_bare_bodies_read_alike() {
        let wrapped: Key = parse(br#"{"key":{"name":"a"}}"#).unwrap();
        let bare: Key = parse(br#"{"name":"a"}"#).unwrap();
        assert_eq!(wrapped, bare);
    }

    #[test]
    fn bad_bodies_are_400s() {
        for body in [&b"{"[..], b"[1]", br#"{"key":{"name":3}}"#, b"\"x\""] {
            match parse::<Key>(body) {
                Err(ApiError::Message { status, .. }) => assert_eq!(status, 400),
                other => panic!("{body:?}: {other:?}"),
            }
        }
    }
}
