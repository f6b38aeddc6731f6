//! The Vestibule server: configuration, database, authentication and the HTTP host that
//! renders the `app` crate and serves its WASM.
// Leptos views are deeply nested types; type layout needs more than the default 128.
#![recursion_limit = "256"]

pub mod agent;
pub mod api;
pub mod auth;
pub mod billing;
pub mod cli;
pub mod config;
pub mod db;
pub mod host;
pub mod keys;
pub mod mail;
pub mod markdown;
pub mod passkeys;
pub mod private_files;
pub mod scm;
pub mod secret;
pub mod serve;
pub mod state;
pub mod tz;
pub mod web;
