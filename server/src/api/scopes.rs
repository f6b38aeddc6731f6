//! What each `/v1` route needs from the API token behind the bearer. A route is registered
//! together with its need (`ScopedRouter`), which travels with the handler as a request
//! extension; `ApiUser` checks it. A route registered without one cannot be reached with any
//! token (fail closed), so a new route cannot slip through without declaring what it needs.
//! The same table writes each operation's `security` in the OpenAPI document and drives the
//! tests that call every route with a token lacking its scope.

use crate::state::AppState;
use app::model::{Scope, TokenScopes};
use axum::handler::Handler;
use axum::routing::{self, MethodRouter};
use axum::{Extension, Router};
use http::Method;
use std::sync::LazyLock;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::SecurityRequirement;

/// What a route asks of the caller's token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// No bearer at all (the exchange, the regions, this document).
    Public,
    /// A token holding one of these scopes, or full access.
    AnyOf(&'static [Scope]),
    /// Any token: the handler applies its own rule (a limited token manages only tokens that
    /// can do no more than itself).
    AnyToken,
    /// A full-access token: what could take or end the account.
    Full,
}

impl Need {
    /// Whether a token with `scopes` may call the route; the error names what is missing.
    pub fn check(self, scopes: &TokenScopes) -> Result<(), String> {
        match self {
            Need::AnyToken => Ok(()),
            // A bearer on a route that takes none: the route is wired wrong; refuse.
            Need::Public => Err("this route takes no bearer token".into()),
            Need::AnyOf(wanted) if wanted.iter().any(|s| scopes.allows(*s)) => Ok(()),
            Need::AnyOf(wanted) => {
                let names: Vec<&str> = wanted.iter().map(|s| s.as_str()).collect();
                Err(format!("this token lacks the scope {}", names.join(" or ")))
            }
            Need::Full if scopes.is_full() => Ok(()),
            Need::Full => Err("this route needs a token with full access".into()),
        }
    }

    /// The names the OpenAPI document lists in the operation's bearer requirement.
    fn names(self) -> Vec<&'static str> {
        match self {
            Need::Public => Vec::new(),
            Need::AnyOf(wanted) => wanted.iter().map(|s| s.as_str()).collect(),
            Need::AnyToken => vec!["any"],
            Need::Full => vec!["full-access"],
        }
    }
}

/// One route of the table: method, path under `/v1` (axum's syntax), and its need.
#[derive(Clone, Debug)]
pub struct RouteNeed {
    pub method: Method,
    pub path: &'static str,
    pub need: Need,
}

/// A router that will not take a route without its need.
pub struct ScopedRouter {
    router: Router<AppState>,
    table: Vec<RouteNeed>,
}

impl Default for ScopedRouter {
    fn default() -> Self {
        ScopedRouter {
            router: Router::new(),
            table: Vec::new(),
        }
    }
}

impl ScopedRouter {
    fn add(mut self, method: Method, path: &'static str, need: Need, route: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, route.layer(Extension(need)));
        self.table.push(RouteNeed { method, path, need });
        self
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, handler: H) -> Self {
        self.add(Method::GET, path, need, routing::get(handler))
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, handler: H) -> Self {
        self.add(Method::POST, path, need, routing::post(handler))
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, handler: H) -> Self {
        self.add(Method::PUT, path, need, routing::put(handler))
    }

    pub fn patch<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, handler: H) -> Self {
        self.add(Method::PATCH, path, need, routing::patch(handler))
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, handler: H) -> Self {
        self.add(Method::DELETE, path, need, routing::delete(handler))
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteNeed>) {
        (self.router, self.table)
    }
}

/// Every route with its need, as `super::routes` declares them.
pub fn table() -> &'static [RouteNeed] {
    static TABLE: LazyLock<Vec<RouteNeed>> = LazyLock::new(|| super::routes().into_parts().1);
    &TABLE
}

/// Writes each operation's need into the document: the bearer requirement lists the scopes
/// (OpenAPI 3.1 allows role names there) and `x-scopes` repeats them for tools that read only
/// extensions. Public routes lose the requirement.
pub fn document(openapi: &mut utoipa::openapi::OpenApi) {
    for route in table() {
        let path = format!("/v1{}", route.path);
        let Some(item) = openapi.paths.paths.get_mut(&path) else {
            continue;
        };
        let operation = match route.method {
            Method::GET => item.get.as_mut(),
            Method::POST => item.post.as_mut(),
            Method::PUT => item.put.as_mut(),
            Method::PATCH => item.patch.as_mut(),
            Method::DELETE => item.delete.as_mut(),
            _ => None,
        };
        if let Some(operation) = operation {
            declare(operation, route.need);
        }
    }
}

fn declare(operation: &mut Operation, need: Need) {
    if need == Need::Public {
        operation.security = None;
        return;
    }
    operation.security = Some(vec![SecurityRequirement::new("bearer", need.names())]);
    let extensions = ExtensionsBuilder::new().add("x-scopes", need.names()).build();
    match operation.extensions.as_mut() {
        Some(existing) => existing.merge(extensions),
        None => operation.extensions = Some(extensions),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_name_what_is_missing() {
        let read = TokenScopes::limited([Scope::AccountRead]);
        assert_eq!(Need::AnyOf(&[Scope::AccountRead]).check(&read), Ok(()));
        assert_eq!(
            Need::AnyOf(&[Scope::KeysWrite]).check(&read),
            Err("this token lacks the scope keys:write".into())
        );
        assert_eq!(
            Need::Full.check(&read),
            Err("this route needs a token with full access".into())
        );
        assert_eq!(Need::Full.check(&TokenScopes::full()), Ok(()));
        assert_eq!(Need::AnyOf(&[Scope::AppsWrite]).check(&TokenScopes::full()), Ok(()));
        assert_eq!(Need::AnyToken.check(&read), Ok(()));
        assert!(Need::Public.check(&TokenScopes::full()).is_err());
    }

    #[test]
    fn every_documented_operation_declares_its_need_and_every_route_is_documented() {
        let doc = super::super::ApiDoc::openapi_with_scopes();
        let mut documented = Vec::new();
        for (path, item) in &doc.paths.paths {
            for (method, op) in [
                (Method::GET, &item.get),
                (Method::POST, &item.post),
                (Method::PUT, &item.put),
                (Method::PATCH, &item.patch),
                (Method::DELETE, &item.delete),
            ] {
                if op.is_some() {
                    documented.push((method, path.clone()));
                }
            }
        }
        for route in table() {
            if route.path == "/openapi.json" {
                continue;
            }
            let path = format!("/v1{}", route.path);
            assert!(
                documented.contains(&(route.method.clone(), path.clone())),
                "{} {path} is routed but not in the OpenAPI document",
                route.method
            );
        }
        for (method, path) in documented {
            assert!(
                table()
                    .iter()
                    .any(|r| r.method == method && format!("/v1{}", r.path) == path),
                "{method} {path} is documented but not routed"
            );
        }
    }
}
