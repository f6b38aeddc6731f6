//! Referrals: each account's code, clicks counted per day, who referred whom, and the credit a
//! referee's paid invoices earn the referrer (20 % excluding VAT, for the referee's first 12
//! months), each credit once per invoice in the ledger.

use super::billing::{append, Movement};
use super::events::{self, Actor, EventType, NewEvent};
use super::Db;
use crate::billing::money::{per_mille_of, Month};
use app::model::OperationSource;
use rand::Rng;
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// What a referrer earns of each invoice, excluding VAT, per mille.
pub const SHARE_PERMILLE: i64 = 200;
/// How long after the referee's sign-up their invoices earn the referrer.
pub const EARNING_MONTHS: u32 = 12;
const CODE_LENGTH: usize = 10;
const CODE_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// A code is lower-case letters and digits (no look-alikes), as made here.
pub fn looks_like_code(code: &str) -> bool {
    code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

/// The account's code, made (once, even when asked in parallel) on first use.
pub async fn code_for(db: &Db, user_id: &str) -> Result<String, sqlx::Error> {
    loop {
        let existing = sqlx::query("SELECT code FROM referral_codes WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?;
        if let Some(row) = existing {
            return row.try_get("code");
        }
        let code: String = {
            let mut rng = rand::thread_rng();
            (0..CODE_LENGTH)
                .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
                .collect()
        };
        // A taken code (or a parallel first use) inserts nothing: read again.
        sqlx::query("INSERT INTO referral_codes (user_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(user_id)
            .bind(&code)
            .execute(&db.pool)
            .await?;
    }
}

/// The account a code belongs to.
pub async fn owner_of(db: &Db, code: &str) -> Result<Option<String>, sqlx::Error> {
    if !looks_like_code(code) {
        return Ok(None);
    }
    sqlx::query("SELECT user_id FROM referral_codes WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get("user_id"))
        .transpose()
}

/// One more click on `day` (`YYYY-MM-DD`).
pub async fn count_click(db: &Db, user_id: &str, day: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO referral_clicks (user_id, day, clicks) VALUES ($1, $2, 1) \
         ON CONFLICT (user_id, day) DO UPDATE SET clicks = referral_clicks.clicks + 1",
    )
    .bind(user_id)
    .bind(day)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Records that `referrer_id` brought `referee_id`, inside the transaction creating the referee.
/// Nothing when the referrer is gone, or is the referee.
pub async fn attribute(
    conn: &mut AnyConnection,
    referrer_id: &str,
    referee_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    if referrer_id == referee_id {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO referrals (referee_id, referrer_id, created_at) \
         SELECT $1, id, $3 FROM users WHERE id = $2 ON CONFLICT DO NOTHING",
    )
    .bind(referee_id)
    .bind(referrer_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub clicks: i64,
    pub signups: i64,
    pub earned_cents: i64,
}

pub async fn stats(conn: &mut AnyConnection, user_id: &str) -> Result<Stats, sqlx::Error> {
    let row = sqlx::query(
        "SELECT \
           (SELECT CAST(COALESCE(SUM(clicks), 0) AS BIGINT) FROM referral_clicks WHERE user_id = $1) AS clicks, \
           (SELECT COUNT(*) FROM referrals WHERE referrer_id = $1) AS signups, \
           (SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM billing_ledger \
              WHERE user_id = $1 AND source = 'referral') AS earned",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(Stats {
        clicks: row.try_get("clicks")?,
        signups: row.try_get("signups")?,
        earned_cents: row.try_get("earned")?,
    })
}

/// A referee as the referrer may see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referee {
    pub masked_name: String,
    pub signed_up_at: i64,
    pub earned_cents: i64,
}

/// `alice` → `a***e`: enough to tell referees apart, not to find them.
pub fn mask(username: &str) -> String {
    let chars: Vec<char> = username.chars().collect();
    match chars.as_slice() {
        [] => "***".into(),
        [only] => format!("{only}***"),
        [first, .., last] => format!("{first}***{last}"),
    }
}

/// The referrer's referees, newest first.
pub async fn referees(conn: &mut AnyConnection, referrer_id: &str) -> Result<Vec<Referee>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.username, r.created_at, \
           (SELECT CAST(COALESCE(SUM(l.amount_cents), 0) AS BIGINT) FROM billing_ledger l \
              JOIN invoices i ON i.id = l.invoice_id \
              WHERE l.user_id = r.referrer_id AND l.source = 'referral' AND i.user_id = r.referee_id) AS earned \
         FROM referrals r JOIN users u ON u.id = r.referee_id \
         WHERE r.referrer_id = $1 ORDER BY r.created_at DESC, u.username",
    )
    .bind(referrer_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Referee {
                masked_name: mask(&row.try_get::<String, _>("username")?),
                signed_up_at: row.try_get("created_at")?,
                earned_cents: row.try_get("earned")?,
            })
        })
        .collect()
}

/// Credits referrers for the paid invoices of `month` that earn them something and have not
/// yet. A referee who bills to the referrer's invoice address or VAT number, or pays with what
/// looks like the referrer's own card or account, earns nothing: referring oneself from a second
/// account is not a referral. Safe to run again and in parallel: the ledger takes one referral credit per invoice.
/// Returns how many credits were made.
pub async fn credit_referrers(db: &Db, month: Month, actor: &Actor, at: i64) -> Result<usize, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT i.id, i.number, i.total_cents, r.referrer_id, r.created_at AS referred_at, u.username \
         FROM invoices i JOIN referrals r ON r.referee_id = i.user_id JOIN users u ON u.id = i.user_id \
         WHERE i.month = $1 AND i.state = 'paid' AND NOT EXISTS \
           (SELECT 1 FROM billing_ledger l WHERE l.invoice_id = i.id AND l.source = 'referral') \
         AND NOT EXISTS (SELECT 1 FROM billing_profiles a JOIN billing_profiles b ON b.user_id = r.referrer_id \
           WHERE a.user_id = i.user_id AND (a.email = b.email OR (a.vat_number <> '' AND a.vat_number = b.vat_number))) \
         AND NOT EXISTS (SELECT 1 FROM payment_methods a JOIN payment_methods b ON b.user_id = r.referrer_id \
           WHERE a.user_id = i.user_id AND a.brand = b.brand AND a.last4 = b.last4 AND a.exp_month = b.exp_month \
           AND a.exp_year = b.exp_year AND a.country = b.country)",
    )
    .bind(month.to_string())
    .fetch_all(&db.pool)
    .await?;
    let month_start = time::Date::from_calendar_date(
        month.year,
        time::Month::try_from(month.month).unwrap_or(time::Month::January),
        1,
    )
    .map(|d| d.midnight().assume_utc().unix_timestamp())
    .unwrap_or(0);
    let mut credited = 0;
    for row in &rows {
        let referred_at: i64 = row.try_get("referred_at")?;
        // Months that begin within the referee's first twelve months earn.
        if month_start >= crate::db::hds::add_months(referred_at, EARNING_MONTHS) {
            continue;
        }
        let total: i64 = row.try_get("total_cents")?;
        let amount = per_mille_of(total, SHARE_PERMILLE);
        if amount <= 0 {
            continue;
        }
        let referrer_id: String = row.try_get("referrer_id")?;
        let invoice_id: String = row.try_get("id")?;
        let description = format!(
            "{} ({})",
            mask(&row.try_get::<String, _>("username")?),
            row.try_get::<String, _>("number")?
        );
        let mut tx = db.begin_write_for_user(&referrer_id).await?;
        let movement = Movement {
            user_id: &referrer_id,
            amount_cents: amount,
            credit_cents: amount,
            source: OperationSource::Referral,
            description: &description,
            invoice_id: Some(&invoice_id),
            at,
        };
        match append(&mut tx, movement).await {
            Ok(_) => {}
            // Credited by a parallel run meanwhile.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
            Err(e) => return Err(e),
        }
        let event = NewEvent {
            user_id: Some(&referrer_id),
            kind: EventType::AddCredit,
            actor,
            data: json!({"payment_method": "referral", "amount": amount, "reason": description}),
        };
        events::record(&mut tx, event).await?;
        tx.commit().await?;
        credited += 1;
    }
    Ok(credited)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked() {
        assert_eq!(mask("alice"), "a***e");
        assert_eq!(mask("al"), "a***l");
        assert_eq!(mask("x"), "x***");
        assert_eq!(mask(""), "***");
        assert_eq!(mask("élodie"), "é***e");
    }

    #[test]
    fn codes_are_checked_before_any_query() {
        assert!(looks_like_code("abcdefgh23"));
        assert!(!looks_like_code("ABCDEFGH23"));
        assert!(!looks_like_code("abc"));
        assert!(!looks_like_code("abcdefgh2l"), "l is a look-alike");
        assert!(!looks_like_code("../../etc/"));
    }
}
