//! Billing: money rules, VAT, the operator's settings, the monthly invoice run and invoices as
//! PDF. The database side is `db::billing`; the tab and the API go through `host::billing`.

pub mod mandate_pdf;
pub mod money;
pub mod operator;
pub mod pdf;
pub mod run;
pub mod settings;
pub mod stripe;
pub mod vat;
pub mod webhook_signature;
