//! GitHub and GitLab: the operator's OAuth applications (`settings`), calls to the providers'
//! APIs (`provider`), and the guard on every call to an address a user typed (`net`).

pub mod net;
pub mod provider;
pub mod settings;

pub use app::model::ScmType;
