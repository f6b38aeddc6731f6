//! The Health data (HDS) tab and `/v1/account/hds_contact`: one set of rules behind both doors,
//! and the reminder mails of the yearly review.

use super::keys::both;
use super::{actor, documents_view, internal, ServerHost};
use crate::db::hds::{self, Reminder, ReminderDue, StoredHds};
use crate::db::{mail_queue, now};
use crate::mail::compose::{notice, Notice};
use crate::tz;
use app::error::{AppError, FieldError};
use app::host::{Caller, HdsPort};
use app::i18n::{Key, Lang};
use app::model::{HdsContact, HdsField, HdsOverview, HdsReview, HdsSaved, OrgType};

/// Longest single-line field, in characters; notes may run longer.
const MAX_LINE_CHARS: usize = 100;
const MAX_NOTES_CHARS: usize = 2000;
const MAX_ZIP_CHARS: usize = 16;

/// Every field checked on its own, all problems reported at once; the value as it will be
/// stored (trimmed, the phone number in E.164, the country code in upper case).
pub fn checked_contact(typed: &HdsContact) -> Result<HdsContact, AppError> {
    let mut problems: Vec<FieldError> = Vec::new();
    let mut stored = HdsContact::default();
    let country = app::countries::code(&typed.address_country);
    for field in HdsField::ALL {
        let value = clean(field.get(typed), field == HdsField::Notes);
        match check(field, &value, country) {
            Ok(value) => field.set(&mut stored, value),
            Err(key) => problems.push(FieldError::new(field.name(), key)),
        }
    }
    if problems.is_empty() {
        Ok(stored)
    } else {
        Err(AppError::Invalid(problems))
    }
}

/// Trimmed, without control characters (notes keep their line breaks).
fn clean(value: &str, multiline: bool) -> String {
    value
        .trim()
        .chars()
        .filter(|c| !c.is_control() || (multiline && *c == '\n'))
        .collect()
}

fn check(field: HdsField, value: &str, country: Option<&'static str>) -> Result<String, Key> {
    let chars = value.chars().count();
    let required = !matches!(field, HdsField::Company | HdsField::AddressLine2 | HdsField::Notes);
    if required && value.is_empty() {
        return Err(Key::ErrRequired);
    }
    match field {
        HdsField::OrgType => OrgType::from_code(value)
            .map(|t| t.code().to_string())
            .ok_or(Key::ErrInvalidChoice),
        HdsField::Email => app::validate::email(value),
        HdsField::PhoneNumber => phone(value, country),
        HdsField::AddressCountry => country.map(str::to_string).ok_or(Key::ErrInvalidChoice),
        HdsField::AddressZip
            if chars > MAX_ZIP_CHARS || !value.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-') =>
        {
            Err(Key::ErrZipInvalid)
        }
        HdsField::Notes if chars > MAX_NOTES_CHARS => Err(Key::ErrTextTooLong),
        HdsField::Notes => Ok(value.to_string()),
        _ if chars > MAX_LINE_CHARS => Err(Key::ErrNameTooLong),
        _ => Ok(value.to_string()),
    }
}

/// A number that exists, in E.164 (`+33123456789`). Without a `+`, it is read as a national
/// number of the address's country.
fn phone(value: &str, country: Option<&'static str>) -> Result<String, Key> {
    // The longest E.164 number is 15 digits; with spaces and punctuation 32 is plenty, and the
    // parser never sees anything longer.
    if value.chars().count() > 32 {
        return Err(Key::ErrPhoneInvalid);
    }
    let region = country.and_then(|c| c.parse::<phonenumber::country::Id>().ok());
    if !value.starts_with('+') && !value.starts_with("00") && region.is_none() {
        return Err(Key::ErrPhoneNeedsCountry);
    }
    let number = phonenumber::parse(region, value).map_err(|_| Key::ErrPhoneInvalid)?;
    if !phonenumber::is_valid(&number) {
        return Err(Key::ErrPhoneInvalid);
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

pub fn review_view(stored: &StoredHds, zone: &str, at: i64) -> HdsReview {
    let due_at = hds::review_due_at(stored.reviewed_at);
    HdsReview {
        updated_at: tz::stamp(stored.updated_at, zone),
        reviewed_at: tz::stamp(stored.reviewed_at, zone),
        due_at: tz::stamp(due_at, zone),
        due: at >= due_at,
    }
}

impl ServerHost {
    pub async fn stored_hds(&self, caller: &Caller) -> Result<Option<StoredHds>, AppError> {
        hds::find(&self.db, &caller.user_id)
            .await
            .map_err(|e| internal(&caller.request_id, e))
    }

    /// Saves a contact (the tab's form or the API's `PUT`); returns the changed fields.
    pub async fn save_stored_hds(&self, caller: &Caller, typed: &HdsContact) -> Result<Vec<&'static str>, AppError> {
        let contact = checked_contact(typed)?;
        hds::save(&self.db, &caller.user_id, &contact, &actor(caller), now())
            .await
            .map_err(|e| internal(&caller.request_id, e))
    }

    async fn review_now(&self, caller: &Caller) -> Result<HdsReview, AppError> {
        let stored = self
            .stored_hds(caller)
            .await?
            .ok_or(AppError::Conflict(Key::ErrHdsNoContact))?;
        Ok(review_view(&stored, &caller.time_zone, now()))
    }

    async fn hds_overview_now(&self, caller: &Caller) -> Result<HdsOverview, AppError> {
        let zone = caller.time_zone.as_str();
        let docs = crate::db::documents::for_account(&self.db, &caller.user_id);
        let (docs, stored) = both(
            docs.await.map_err(|e| internal(&caller.request_id, e)),
            self.stored_hds(caller).await,
        )?;
        let at = now();
        Ok(HdsOverview {
            documents: documents_view(&docs, zone).only(true),
            review: stored.as_ref().map(|s| review_view(s, zone, at)),
            contact: stored.map(|s| s.contact),
        })
    }

    /// Queues the reminder mails owed at `now` (one month before the review is due, and on the
    /// due date), each once per review cycle even with several instances running this.
    /// Returns how many were queued.
    pub async fn send_hds_reminders(&self, at: i64) -> Result<usize, sqlx::Error> {
        let owed = hds::reminders_owed(&self.db, at).await?;
        let mut sent = 0;
        for reminder in &owed {
            let mut tx = self.db.begin_write().await?;
            if !hds::claim_reminder(&mut tx, reminder).await? {
                continue;
            }
            mail_queue::enqueue(&self.db, &mut tx, &self.reminder_mail(reminder), at).await?;
            tx.commit().await?;
            sent += 1;
        }
        if sent > 0 {
            self.mail_wake.notify_one();
        }
        Ok(sent)
    }

    fn reminder_mail(&self, owed: &ReminderDue) -> mail_queue::OutgoingMail {
        let lang = Lang::from_code(&owed.lang).unwrap_or_default();
        let (subject, body) = match owed.reminder {
            Reminder::Soon => (Key::MailHdsSoonSubject, Key::MailHdsSoonBody),
            Reminder::Due => (Key::MailHdsDueSubject, Key::MailHdsDueBody),
        };
        let link = format!("{}/account/hds", self.config.public_url);
        notice(Notice {
            to: &owed.email,
            username: &owed.username,
            lang,
            subject: subject.text(lang),
            paragraphs: &[body.text(lang)],
            link: Some((Key::MailHdsLink.text(lang), &link)),
        })
    }
}

#[async_trait::async_trait]
impl HdsPort for ServerHost {
    async fn hds_overview(&self, caller: &Caller) -> Result<HdsOverview, AppError> {
        self.hds_overview_now(caller).await
    }

    async fn save_hds_contact(&self, caller: &Caller, typed: HdsContact) -> Result<HdsSaved, AppError> {
        let changed = self.save_stored_hds(caller, &typed).await?;
        Ok(HdsSaved {
            review: self.review_now(caller).await?,
            changed: changed.into_iter().map(str::to_string).collect(),
        })
    }

    async fn review_hds_contact(&self, caller: &Caller) -> Result<HdsSaved, AppError> {
        let reviewed = hds::review(&self.db, &caller.user_id, &actor(caller), now())
            .await
            .map_err(|e| internal(&caller.request_id, e))?;
        if !reviewed {
            return Err(AppError::Conflict(Key::ErrHdsNoContact));
        }
        Ok(HdsSaved {
            review: self.review_now(caller).await?,
            changed: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> HdsContact {
        HdsContact {
            org_type: "company".into(),
            name: " Dr Jeanne Martin ".into(),
            email: "Jeanne@Clinique.example".into(),
            phone_number: "01 23 45 67 89".into(),
            company: "Clinique du Parc".into(),
            address_line1: "1 rue de la Paix".into(),
            address_line2: String::new(),
            address_city: "Paris".into(),
            address_zip: "75002".into(),
            address_country: "fr".into(),
            notes: "Line one\nLine two".into(),
        }
    }

    fn problems(contact: &HdsContact) -> Vec<(String, Key)> {
        match checked_contact(contact) {
            Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.key)).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_contact_is_normalised() {
        let stored = checked_contact(&typed()).unwrap();
        assert_eq!(stored.phone_number, "+33123456789");
        assert_eq!(stored.address_country, "FR");
        assert_eq!(stored.name, "Dr Jeanne Martin");
        assert_eq!(stored.email, "jeanne@clinique.example");
        assert_eq!(stored.notes, "Line one\nLine two");
    }

    #[test]
    fn each_field_has_its_own_message() {
        let mut c = typed();
        c.org_type = "hospital".into();
        c.name = String::new();
        c.email = "not-an-address".into();
        c.phone_number = "+33 12".into();
        c.address_zip = "75002; DROP".into();
        c.address_country = "XX".into();
        c.notes = "x".repeat(2001);
        let found = problems(&c);
        let key = |f: &str| found.iter().find(|(n, _)| n == f).map(|(_, k)| *k);
        assert_eq!(key("org_type"), Some(Key::ErrInvalidChoice));
        assert_eq!(key("name"), Some(Key::ErrRequired));
        assert_eq!(key("email"), Some(Key::ErrEmailInvalid));
        assert_eq!(key("phone_number"), Some(Key::ErrPhoneInvalid));
        assert_eq!(key("address_zip"), Some(Key::ErrZipInvalid));
        assert_eq!(key("address_country"), Some(Key::ErrInvalidChoice));
        assert_eq!(key("notes"), Some(Key::ErrTextTooLong));
        assert_eq!(key("company"), None);
    }

    #[test]
    fn a_national_number_needs_a_country() {
        let mut c = typed();
        c.address_country = String::new();
        let found = problems(&c);
        assert!(found.contains(&("phone_number".into(), Key::ErrPhoneNeedsCountry)));
        c.phone_number = "+44 20 7946 0958".into();
        let found = problems(&c);
        assert!(!found.iter().any(|(f, _)| f == "phone_number"), "{found:?}");
    }
}
