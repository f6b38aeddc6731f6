//! The Vestibule server: configuration, database, authentication and the HTTP host that
//! renders the `app` crate and serves its WASM.

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod secret;
pub mod serve;
pub mod state;
pub mod web;
