//! Sign-up in two steps. The form is checked and the password hashed, then a link goes to the
//! address; following it creates the account and signs in. When an account already uses the
//! address, its owner gets a notice instead, and the form answers exactly as for a new
//! address: sign-up cannot tell anyone which addresses have accounts.

use super::hash_queue::Lane;
use super::password::HashError;
use super::signin::{record, start_session, Client, Started};
use super::{common_passwords, session_token, throttle};
use crate::db::documents::{self, StoredDocument};
use crate::db::events::EventType;
use crate::db::mail_queue::OutgoingMail;
use crate::db::signup_requests::{self, SignUpRequest, LIFETIME_SECS};
use crate::db::users::{self, CreateUserError};
use crate::db::{now, Db};
use crate::mail::compose::{notice, Notice};
use crate::state::AppState;
use app::i18n::{Key, Lang};
use app::prefs::Prefs;

/// Sign-up mails to one address per hour (links when it is free, notices to its owner when it
/// is not), however many client addresses send the form: nobody can flood someone's inbox.
/// Beyond it the form says so, the same way whether or not an account uses the address.
const MAILS_PER_ADDRESS_PER_HOUR: i64 = 3;
/// Wrong passwords one sign-up link takes before it pauses.
const CONFIRM_GUESSES: i64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum SignUpError {
    #[error("sign-up closed")]
    Closed,
    #[error("invalid fields")]
    Invalid(Vec<(&'static str, Key)>),
    /// Too many sign-ups from this address: seconds until the next is allowed.
    #[error("throttled for {0}s")]
    Throttled(i64),
    /// Too many sign-up mails to this address this hour: seconds until the next may go.
    #[error("too many mails to the address, for {0}s")]
    TooManyMails(i64),
    #[error("busy")]
    Busy,
    #[error("internal: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for SignUpError {
    fn from(e: sqlx::Error) -> Self {
        SignUpError::Internal(e.to_string())
    }
}

impl From<HashError> for SignUpError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => SignUpError::Busy,
            HashError::Internal(m) => SignUpError::Internal(m),
        }
    }
}

/// Why following a sign-up link created no account.
#[derive(Debug, thiserror::Error)]
pub enum CompleteError {
    /// Used, expired or never issued.
    #[error("unusable link")]
    UnusableLink,
    #[error("password missing")]
    PasswordMissing,
    /// Not the password the form was sent with.
    #[error("wrong password")]
    WrongPassword,
    /// Too many wrong passwords for this link: seconds to wait.
    #[error("throttled for {0}s")]
    Throttled(i64),
    #[error("busy")]
    Busy,
    /// Someone else took the username between the form and the link.
    #[error("username taken")]
    UsernameTaken,
    /// The address got an account meanwhile (from another of its own links).
    #[error("e-mail taken")]
    EmailTaken,
    #[error("internal: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for CompleteError {
    fn from(e: sqlx::Error) -> Self {
        CompleteError::Internal(e.to_string())
    }
}

/// What the sign-up form says besides the credentials.
#[derive(Clone, Debug, Default)]
pub struct SignUpExtras {
    /// The theme and language the visitor was browsing with.
    pub prefs: Prefs,
    /// The browser's time zone, when the page could tell.
    pub time_zone: Option<String>,
    /// The ids of the documents the form showed, and whether the box was ticked.
    pub documents: Vec<String>,
    pub accepted: bool,
    /// Where to go once signed in: a same-site path, or empty.
    pub next: String,
    /// The account whose referral link brought the visitor (from its cookie), if any.
    pub referrer_id: Option<String>,
}

/// Checks every field, so the form can show all problems at once.
pub fn validate_sign_up(
    username: &str,
    email: &str,
    password: &str,
) -> Result<(String, String), Vec<(&'static str, Key)>> {
    let mut errors = Vec::new();
    let username = app::validate::username(username)
        .map_err(|e| errors.push(("username", e)))
        .ok();
    let email = app::validate::email(email).map_err(|e| errors.push(("email", e))).ok();
    let password_check = app::validate::new_password(
        password,
        username.as_deref().unwrap_or(""),
        email.as_deref().unwrap_or(""),
    )
    .and_then(|()| {
        if common_passwords::is_common(password) {
            Err(Key::ErrPasswordCommon)
        } else {
            Ok(())
        }
    });
    if let Err(e) = password_check {
        errors.push(("password", e));
    }
    match (username, email) {
        (Some(u), Some(e)) if errors.is_empty() => Ok((u, e)),
        _ => Err(errors),
    }
}

/// The current required documents, checked against what the form showed and accepted.
fn check_documents(required: &[StoredDocument], extras: &SignUpExtras) -> Option<Key> {
    if required.is_empty() {
        return None;
    }
    let mut shown = extras.documents.clone();
    shown.sort();
    let mut current: Vec<String> = required.iter().map(|d| d.id.clone()).collect();
    current.sort();
    if shown != current {
        // A new version was published after the form was rendered (or the form was forged).
        return Some(Key::ErrDocumentsChanged);
    }
    (!extras.accepted).then_some(Key::ErrAcceptDocuments)
}

async fn required_documents(db: &Db) -> Result<Vec<StoredDocument>, sqlx::Error> {
    Ok(documents::current(db)
        .await?
        .into_iter()
        .filter(|d| d.required && !d.kind.is_hds())
        .collect())
}

/// Checks the form and mails the address: a link when it is free, a notice to its owner when
/// it is not. The same answer either way.
pub async fn request(
    state: &AppState,
    username: &str,
    email: &str,
    password: String,
    extras: SignUpExtras,
    client: &Client,
) -> Result<(), SignUpError> {
    if !state.config.signup_open {
        return Err(SignUpError::Closed);
    }
    let required = required_documents(&state.db).await?;
    let valid = validate_sign_up(username, email, &password);
    let documents_error = check_documents(&required, &extras);
    let (username, email) = match (valid, documents_error) {
        (Ok(fields), None) => fields,
        (valid, documents_error) => {
            let mut errors = valid.err().unwrap_or_default();
            errors.extend(documents_error.map(|key| ("accept", key)));
            return Err(SignUpError::Invalid(errors));
        }
    };
    let time_zone = extras
        .time_zone
        .as_deref()
        .filter(|z| app::validate::time_zone_name(z).is_ok() && crate::tz::is_known(z))
        .unwrap_or("UTC")
        .to_string();
    let at = now();
    // Counted once the form is valid, before the hash: each attempt costs the server one.
    if let Some(wait) = throttle::begin_sign_up(&state.db, &state.throttle, &client.ip, at).await? {
        return Err(SignUpError::Throttled(wait));
    }
    // Usernames are public (they name accounts on the platform): a taken one is said at once.
    if users::username_taken(&state.db, &username).await? {
        return Err(SignUpError::Invalid(vec![("username", Key::ErrUsernameTaken)]));
    }
    // Counted per target address whether or not an account uses it: the answer tells nothing.
    let mails = format!("signup-mail:{email}");
    if let Some(wait) = throttle::over_limit(&state.db, &mails, MAILS_PER_ADDRESS_PER_HOUR, 3600, at).await? {
        return Err(SignUpError::TooManyMails(wait));
    }
    // Hashed on both paths, so the answer takes as long whether or not the address is taken.
    let password_hash = state.hasher.hash(Lane::Anonymous, password).await?;
    let base = &state.config.public_url;
    match users::find_by_login(&state.db, &email).await? {
        Some(owner) => {
            let mail = owner_notice(&owner.username, &owner.email, owner.lang, base);
            let mut conn = state.db.pool.acquire().await?;
            crate::db::mail_queue::enqueue(&state.db, &mut conn, &mail, at).await?;
        }
        None => {
            let (token, digest) = session_token::generate();
            let lang = extras.prefs.lang;
            let mail = link_mail(&username, &email, lang, &format!("{base}/signup/confirm?token={token}"));
            let request = SignUpRequest {
                username,
                email,
                password_hash,
                prefs: extras.prefs,
                time_zone,
                documents: required.into_iter().map(|d| d.id).collect(),
                next: extras.next,
                referrer_id: extras.referrer_id,
            };
            signup_requests::create(&state.db, &request, &digest, &mail, at).await?;
        }
    }
    state.mail_wake.notify_one();
    Ok(())
}

/// Follows the link: with the password the form was sent with (so whoever signed up with
/// someone else's address, hoping they click, cannot keep the account), creates the account
/// with what the form said, records the acceptances and signs in. Returns the session and
/// where to go.
pub async fn complete(
    state: &AppState,
    token: &str,
    password: String,
    client: &Client,
) -> Result<(Started, String), CompleteError> {
    let digest = session_token::digest(token.trim());
    let at = now();
    let request = signup_requests::find_usable(&state.db, &digest, at)
        .await?
        .ok_or(CompleteError::UnusableLink)?;
    if password.is_empty() {
        return Err(CompleteError::PasswordMissing);
    }
    check_form_password(state, &digest, &request, password, at).await?;
    // The documents accepted on the form that are still the current ones.
    let accepted: Vec<StoredDocument> = required_documents(&state.db)
        .await?
        .into_iter()
        .filter(|d| request.documents.contains(&d.id))
        .collect();
    let created = signup_requests::complete(&state.db, &digest, &request, accepted, &client.actor()).await;
    let user = match created {
        Ok(user) => user,
        Err(CreateUserError::UsernameTaken) => return Err(CompleteError::UsernameTaken),
        Err(CreateUserError::EmailTaken) => return Err(CompleteError::EmailTaken),
        // The request was used by a concurrent click between the lookup and the insert.
        Err(CreateUserError::Db(sqlx::Error::RowNotFound)) => return Err(CompleteError::UnusableLink),
        Err(CreateUserError::Db(e)) => return Err(e.into()),
    };
    let started = start_session(state, user, client).await?;
    record(state, Some(&started.user.id), EventType::LoginSuccess, client).await?;
    Ok((started, request.next))
}

/// The form's password, counted per link before it is checked.
async fn check_form_password(
    state: &AppState,
    digest: &str,
    request: &SignUpRequest,
    password: String,
    at: i64,
) -> Result<(), CompleteError> {
    let keys = throttle::Keys::single(format!("signup-confirm:{digest}"), CONFIRM_GUESSES);
    let attempt = match throttle::begin_attempt(&state.db, &state.throttle, &keys, at).await? {
        Ok(attempt) => attempt,
        Err(wait) => return Err(CompleteError::Throttled(wait)),
    };
    let stored = Some(request.password_hash.clone());
    match state.hasher.verify(Lane::Anonymous, password, stored).await {
        Ok(v) if v.ok => Ok(throttle::record_success(&state.db, attempt).await?),
        Ok(_) => {
            throttle::confirm_failure(&state.db, &state.throttle, attempt, at).await?;
            Err(CompleteError::WrongPassword)
        }
        Err(e) => {
            throttle::withdraw(&state.db, attempt).await?;
            Err(match e {
                HashError::Busy => CompleteError::Busy,
                HashError::Internal(cause) => CompleteError::Internal(cause),
            })
        }
    }
}

fn link_mail(username: &str, to: &str, lang: Lang, link: &str) -> OutgoingMail {
    let hours = LIFETIME_SECS / 3600;
    let (subject, body, ignore, follow) = match lang {
        Lang::Fr => (
            "Terminez la création de votre compte",
            format!("Bienvenue ! Confirmez votre adresse pour créer votre compte : le lien ci-dessous fonctionne une seule fois, pendant {hours} heures, avec le mot de passe choisi à l’inscription."),
            "Si vous ne vous êtes pas inscrit, ignorez ce message : aucun compte n’est créé.",
            "Créer mon compte :",
        ),
        Lang::En => (
            "Finish creating your account",
            format!("Welcome! Confirm your address to create your account: the link below works once, within {hours} hours, with the password you chose when signing up."),
            "If you did not sign up, ignore this message: no account is created.",
            "Create my account:",
        ),
    };
    notice(Notice {
        to,
        username,
        lang,
        subject,
        paragraphs: &[&body, ignore],
        link: Some((follow, link)),
    })
}

fn owner_notice(username: &str, to: &str, lang: Lang, base: &str) -> OutgoingMail {
    let forgot = format!("{base}/password/forgot");
    let (subject, body, follow) = match lang {
        Lang::Fr => (
            "Tentative d’inscription avec votre adresse",
            "Quelqu’un a essayé de créer un compte avec cette adresse e-mail, que votre compte utilise déjà. Aucun compte n’a été créé.",
            "Si c’était vous, connectez-vous avec votre compte existant, ou réinitialisez votre mot de passe si vous l’avez oublié :",
        ),
        Lang::En => (
            "Someone tried to sign up with your address",
            "Someone tried to create an account with this e-mail address, which your account already uses. No account was created.",
            "If it was you, sign in with your existing account, or reset your password if you forgot it:",
        ),
    };
    notice(Notice {
        to,
        username,
        lang,
        subject,
        paragraphs: &[body],
        link: Some((follow, &forgot)),
    })
}
