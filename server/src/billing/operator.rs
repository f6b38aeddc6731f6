//! The operator's billing commands (`vestibule billing …`): their messages are for a person at
//! a terminal, in English like the rest of the command line.

use super::money::{euros_fr, Month};
use super::run::{run_month, RunError};
use crate::config::Config;
use crate::db::billing::{self, invoices};
use crate::db::events::Actor;
use crate::db::{now, Db};

fn operator() -> Actor {
    Actor {
        ip: None,
        user_agent: Some("vestibule command line".into()),
    }
}

pub async fn record_usage(db: &Db, app: &str, month: Month, hours: i64) -> Result<String, String> {
    match invoices::record_usage(db, app, month, hours, now()).await {
        Ok(()) => Ok(format!("Recorded {hours} h for {app} in {month}.")),
        Err(invoices::UsageError::Db(e)) => Err(format!("database: {e}")),
        Err(e) => Err(e.to_string()),
    }
}

pub async fn run(db: &Db, config: &Config, month: Month) -> Result<String, String> {
    match run_month(db, config, month, now()).await {
        Ok(summary) => Ok(format!("{month}: {summary}.")),
        Err(RunError::Db(e)) => Err(format!("database: {e}")),
        Err(e) => Err(e.to_string()),
    }
}

pub async fn add_credit(db: &Db, username: &str, amount_cents: i64, reason: &str) -> Result<String, String> {
    let user = crate::db::users::find_by_login(db, username)
        .await
        .map_err(|e| format!("database: {e}"))?
        .ok_or_else(|| format!("no user named {username:?}"))?;
    billing::add_operator_credit(db, &user.id, amount_cents, reason, &operator(), now())
        .await
        .map_err(|e| format!("database: {e}"))?;
    // A transfer for an invoice that failed pays it.
    let settled = billing::payment::pay_failed_from_credit(db, &user.id, &operator(), now())
        .await
        .map_err(|e| format!("database: {e}"))?;
    let mut conn = db.pool.acquire().await.map_err(|e| format!("database: {e}"))?;
    let balance = billing::credit(&mut conn, &user.id)
        .await
        .map_err(|e| format!("database: {e}"))?;
    Ok(format!(
        "Added {} of credit to {}; {settled} failed invoice(s) paid from it; the balance is {}.",
        euros_fr(amount_cents),
        user.username,
        euros_fr(balance)
    ))
}
