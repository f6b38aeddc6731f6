//! One integration-test binary (linking is the slow part on two cores): store tests on SQLite
//! and PostgreSQL, HTTP tests against the real router, and the operator commands.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

pub mod billing;
mod cli;
mod hds;
mod http_api;
mod http_api_account;
mod http_auth;
mod http_authentication;
mod http_compression;
mod http_email_change;
mod http_hang_up;
mod http_leaked_token;
mod http_page_cache;
mod http_pages;
mod http_passkeys;
mod http_password_reset;
mod http_safety;
mod http_server_fns;
mod http_sign_in_defences;
mod http_sign_in_review;
mod http_timeline;
mod http_token_scopes;
mod mail;
mod referrals;
mod scm;
mod scm_oauth;
mod soft_authenticator;
mod store;
mod store_authentication;
mod store_basic;
mod store_keys_tokens;
mod store_security;
mod store_timeline;
mod stripe;
