//! The healthcare point of contact (HDS) and its yearly review, with the events they record.

use super::events::{self, Actor, EventType};
use super::Db;
use app::model::{HdsContact, HdsField};
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// A review lasts twelve calendar months; the first reminder goes one month before it ends.
pub const REVIEW_MONTHS: u32 = 12;
pub const SOON_MONTHS: u32 = 11;

/// `unix` moved `months` calendar months later, in UTC; the 31st becomes the month's last day.
pub fn add_months(unix: i64, months: u32) -> i64 {
    use time::{Date, Month, OffsetDateTime};
    let Ok(at) = OffsetDateTime::from_unix_timestamp(unix) else {
        return unix;
    };
    let index = at.year() * 12 + i32::from(u8::from(at.month())) - 1 + months as i32;
    let year = index.div_euclid(12);
    let Ok(month) = Month::try_from((index.rem_euclid(12) + 1) as u8) else {
        return unix;
    };
    let day = at.day().min(time::util::days_in_month(month, year));
    match Date::from_calendar_date(year, month, day) {
        Ok(date) => at.replace_date(date).unix_timestamp(),
        Err(_) => unix,
    }
}

/// When the review made at `reviewed_at` falls due.
pub fn review_due_at(reviewed_at: i64) -> i64 {
    add_months(reviewed_at, REVIEW_MONTHS)
}

/// The stored contact with its dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredHds {
    pub contact: HdsContact,
    pub updated_at: i64,
    pub reviewed_at: i64,
}

const COLUMNS: &str = "org_type, name, email, phone_number, company, address_line1, address_line2, \
                       address_city, address_zip, address_country, notes, updated_at, reviewed_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<StoredHds, sqlx::Error> {
    let mut contact = HdsContact::default();
    for field in HdsField::ALL {
        field.set(&mut contact, row.try_get(field.name())?);
    }
    Ok(StoredHds {
        contact,
        updated_at: row.try_get("updated_at")?,
        reviewed_at: row.try_get("reviewed_at")?,
    })
}

pub async fn find(db: &Db, user_id: &str) -> Result<Option<StoredHds>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM hds_contacts WHERE user_id = $1"))
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

async fn find_in(conn: &mut AnyConnection, user_id: &str) -> Result<Option<StoredHds>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM hds_contacts WHERE user_id = $1"))
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Saves a validated contact. A save is also a review: `reviewed_at` becomes `now`. Records
/// `edit_hds_contact` with the changed fields, or `review_hds_contact` when nothing changed.
/// Returns the changed fields' names.
pub async fn save(
    db: &Db,
    user_id: &str,
    contact: &HdsContact,
    actor: &Actor,
    now: i64,
) -> Result<Vec<&'static str>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let before = find_in(&mut tx, user_id).await?;
    let changed: Vec<&'static str> = HdsField::ALL
        .into_iter()
        .filter(|f| before.as_ref().map_or("", |b| f.get(&b.contact)) != f.get(contact))
        .map(HdsField::name)
        .collect();
    let updated_at = match &before {
        Some(b) if changed.is_empty() => b.updated_at,
        _ => now,
    };
    sqlx::query(
        "INSERT INTO hds_contacts (user_id, org_type, name, email, phone_number, company, address_line1, \
             address_line2, address_city, address_zip, address_country, notes, updated_at, reviewed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (user_id) DO UPDATE SET org_type = excluded.org_type, name = excluded.name, \
             email = excluded.email, phone_number = excluded.phone_number, company = excluded.company, \
             address_line1 = excluded.address_line1, address_line2 = excluded.address_line2, \
             address_city = excluded.address_city, address_zip = excluded.address_zip, \
             address_country = excluded.address_country, notes = excluded.notes, \
             updated_at = excluded.updated_at, reviewed_at = excluded.reviewed_at",
    )
    .bind(user_id)
    .bind(&contact.org_type)
    .bind(&contact.name)
    .bind(&contact.email)
    .bind(&contact.phone_number)
    .bind(&contact.company)
    .bind(&contact.address_line1)
    .bind(&contact.address_line2)
    .bind(&contact.address_city)
    .bind(&contact.address_zip)
    .bind(&contact.address_country)
    .bind(&contact.notes)
    .bind(updated_at)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if changed.is_empty() {
        events::note(&mut tx, user_id, EventType::ReviewHdsContact, actor, json!({})).await?;
    } else {
        // Field names only: the contact's details stay out of the events table.
        let data = json!({ "changed": changed });
        events::note(&mut tx, user_id, EventType::EditHdsContact, actor, data).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Records that the stored contact is still accurate. False when there is none.
pub async fn review(db: &Db, user_id: &str, actor: &Actor, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let updated = sqlx::query("UPDATE hds_contacts SET reviewed_at = $1 WHERE user_id = $2")
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    events::note(&mut tx, user_id, EventType::ReviewHdsContact, actor, json!({})).await?;
    tx.commit().await?;
    Ok(true)
}

/// Which reminder a contact is owed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reminder {
    /// One month before the review is due.
    Soon,
    /// On the due date (or as soon as possible after it).
    Due,
}

/// An account owed a reminder, with what its mail needs.
#[derive(Clone, Debug)]
pub struct ReminderDue {
    pub user_id: String,
    pub username: String,
    pub email: String,
    pub lang: String,
    pub reviewed_at: i64,
    pub reminder: Reminder,
}

/// Accounts owed a reminder at `now`. A contact past its due date is owed only the "due" one
/// (a server that was off for a month does not send "due in a month" too late).
pub async fn reminders_owed(db: &Db, now: i64) -> Result<Vec<ReminderDue>, sqlx::Error> {
    // Anything reviewed more than ten months ago and not yet told it is due: a cheap bound the
    // index can use; the exact calendar dates are checked below.
    let bound = now - 300 * 86_400;
    let rows = sqlx::query(
        "SELECT h.user_id, h.reviewed_at, h.soon_reminder_for, h.due_reminder_for, u.username, u.email, u.lang \
         FROM hds_contacts h JOIN users u ON u.id = h.user_id \
         WHERE h.reviewed_at <= $1 AND (h.due_reminder_for IS NULL OR h.due_reminder_for <> h.reviewed_at)",
    )
    .bind(bound)
    .fetch_all(&db.pool)
    .await?;
    let mut owed = Vec::new();
    for row in &rows {
        let reviewed_at: i64 = row.try_get("reviewed_at")?;
        let soon_for: Option<i64> = row.try_get("soon_reminder_for")?;
        let due_for: Option<i64> = row.try_get("due_reminder_for")?;
        let reminder = if now >= review_due_at(reviewed_at) {
            (due_for != Some(reviewed_at)).then_some(Reminder::Due)
        } else if now >= add_months(reviewed_at, SOON_MONTHS) {
            (soon_for != Some(reviewed_at)).then_some(Reminder::Soon)
        } else {
            None
        };
        if let Some(reminder) = reminder {
            owed.push(ReminderDue {
                user_id: row.try_get("user_id")?,
                username: row.try_get("username")?,
                email: row.try_get("email")?,
                lang: row.try_get("lang")?,
                reviewed_at,
                reminder,
            });
        }
    }
    Ok(owed)
}

/// Inside the transaction that queues the mail: marks the reminder sent for this review. False
/// when another instance did it first, or the user reviewed meanwhile: then send nothing.
pub async fn claim_reminder(conn: &mut AnyConnection, owed: &ReminderDue) -> Result<bool, sqlx::Error> {
    let column = match owed.reminder {
        Reminder::Soon => "soon_reminder_for",
        // The "soon" one is then pointless: mark both.
        Reminder::Due => "due_reminder_for = $1, soon_reminder_for",
    };
    let claimed = sqlx::query(&format!(
        "UPDATE hds_contacts SET {column} = $1 \
         WHERE user_id = $2 AND reviewed_at = $1 AND ({check} IS NULL OR {check} <> $1)",
        check = match owed.reminder {
            Reminder::Soon => "soon_reminder_for",
            Reminder::Due => "due_reminder_for",
        }
    ))
    .bind(owed.reviewed_at)
    .bind(&owed.user_id)
    .execute(conn)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(y: i32, m: u8, d: u8) -> i64 {
        let month = time::Month::try_from(m).unwrap();
        time::Date::from_calendar_date(y, month, d)
            .unwrap()
            .midnight()
            .assume_utc()
            .unix_timestamp()
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(review_due_at(unix(2026, 3, 15)), unix(2027, 3, 15));
        assert_eq!(add_months(unix(2026, 1, 31), 1), unix(2026, 2, 28));
        assert_eq!(review_due_at(unix(2028, 2, 29)), unix(2029, 2, 28));
        assert_eq!(add_months(unix(2026, 12, 6), SOON_MONTHS), unix(2027, 11, 6));
    }
}
