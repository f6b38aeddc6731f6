//! "Forgot password?": a single-use, one-hour link by mail, the same answer whether or not the
//! address belongs to an account, and a notice to the account once the password is changed.

use super::hash_queue::Lane;
use super::password::HashError;
use super::signin::Client;
use super::{session_token, throttle};
use crate::db::mail_queue::OutgoingMail;
use crate::db::{now, password_resets, users};
use crate::mail::compose::escape;
use crate::state::AppState;
use app::i18n::{Key, Lang};

pub const LINK_LIFETIME_SECS: i64 = 3600;
/// Requests per client address per hour, and mails per account per hour (beyond it the answer
/// is the same, but no mail goes out: nobody can flood someone's inbox).
const REQUESTS_PER_ADDRESS: i64 = 10;
const MAILS_PER_ACCOUNT: i64 = 3;
const WINDOW_SECS: i64 = 3600;

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error("invalid fields")]
    Invalid(Vec<(&'static str, Key)>),
    /// Used, expired or never issued.
    #[error("unusable link")]
    UnusableLink,
    #[error("throttled for {0}s")]
    Throttled(i64),
    #[error("busy")]
    Busy,
    #[error("internal: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for ResetError {
    fn from(e: sqlx::Error) -> Self {
        ResetError::Internal(e.to_string())
    }
}

impl From<HashError> for ResetError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => ResetError::Busy,
            HashError::Internal(m) => ResetError::Internal(m),
        }
    }
}

/// Sends a reset link if `email` belongs to an account. Answers the same either way.
pub async fn request(state: &AppState, email: &str, client: &Client) -> Result<(), ResetError> {
    let email = app::validate::email(email).map_err(|key| ResetError::Invalid(vec![("email", key)]))?;
    let at = now();
    let address = format!("reset:{}", throttle::address_key(&client.ip));
    if let Some(wait) = throttle::over_limit(&state.db, &address, REQUESTS_PER_ADDRESS, WINDOW_SECS, at).await? {
        return Err(ResetError::Throttled(wait));
    }
    let Some(user) = users::find_by_login(&state.db, &email).await? else {
        return Ok(());
    };
    let account = format!("reset:user:{}", user.id);
    if throttle::over_limit(&state.db, &account, MAILS_PER_ACCOUNT, WINDOW_SECS, at)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let (token, digest) = session_token::generate();
    let link = format!("{}/password/reset?token={token}", state.config.public_url);
    let mail = link_mail(&user.username, &user.email, user.lang, &link);
    password_resets::create(&state.db, &user.id, &digest, at, LINK_LIFETIME_SECS, &mail).await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// Checks the two new passwords, then uses the link: the account gets the new password, every
/// session and token ends and a notice is mailed. Answers the account's id.
pub async fn complete(
    state: &AppState,
    token: &str,
    password: String,
    confirm: &str,
    client: &Client,
) -> Result<String, ResetError> {
    let digest = session_token::digest(token);
    let at = now();
    let account = password_resets::find_usable(&state.db, &digest, at)
        .await?
        .ok_or(ResetError::UnusableLink)?;
    let mut errors = Vec::new();
    if let Err(key) = app::validate::new_password(&password, &account.username, &account.email) {
        errors.push(("password", key));
    } else if super::common_passwords::is_common(&password) {
        errors.push(("password", Key::ErrPasswordCommon));
    }
    if password != confirm {
        errors.push(("confirm", Key::ErrPasswordsDiffer));
    }
    if !errors.is_empty() {
        return Err(ResetError::Invalid(errors));
    }
    let hash = state.hasher.hash(Lane::Anonymous, password).await?;
    let lang = Lang::from_code(&account.lang).unwrap_or_default();
    let notice = changed_mail(&account.username, &account.email, lang, &state.config.public_url);
    let done = password_resets::redeem(
        &state.db,
        &digest,
        &account.user_id,
        &hash,
        &client.actor(),
        at,
        &notice,
    )
    .await?;
    if !done {
        return Err(ResetError::UnusableLink);
    }
    state.mail_wake.notify_one();
    Ok(account.user_id)
}

fn link_mail(username: &str, to: &str, lang: Lang, link: &str) -> OutgoingMail {
    let (subject, hello, body, ignore) = match lang {
        Lang::Fr => (
            "Réinitialiser votre mot de passe",
            format!("Bonjour {username},"),
            "Quelqu’un (vous, espérons-le) a demandé à réinitialiser le mot de passe de votre compte. \
             Choisissez-en un nouveau avec ce lien, valable une heure et une seule fois :",
            "Si ce n’était pas vous, ignorez ce message : votre mot de passe ne change pas.",
        ),
        Lang::En => (
            "Reset your password",
            format!("Hello {username},"),
            "Someone (you, we hope) asked to reset the password of your account. Choose a new one \
             with this link, which works once, within an hour:",
            "If it was not you, ignore this message: your password stays as it is.",
        ),
    };
    OutgoingMail {
        to: to.into(),
        subject: subject.into(),
        text: format!("{hello}\n\n{body}\n\n{link}\n\n{ignore}\n"),
        html: format!(
            "<p>{hello}</p>\n<p>{body}</p>\n<p><a href=\"{link}\">{link}</a></p>\n<p>{ignore}</p>\n",
            hello = escape(&hello),
            body = escape(body),
            link = escape(link),
            ignore = escape(ignore)
        ),
    }
}

fn changed_mail(username: &str, to: &str, lang: Lang, public_url: &str) -> OutgoingMail {
    let forgot = format!("{public_url}/password/forgot");
    let (subject, hello, body, not_you) = match lang {
        Lang::Fr => (
            "Votre mot de passe a été modifié",
            format!("Bonjour {username},"),
            "Le mot de passe de votre compte vient d’être modifié avec un lien de réinitialisation, \
             et toutes vos sessions ont été fermées.",
            "Si ce n’était pas vous, réinitialisez-le de nouveau tout de suite et contactez le support :",
        ),
        Lang::En => (
            "Your password was changed",
            format!("Hello {username},"),
            "The password of your account was just changed with a reset link, and every session \
             was signed out.",
            "If it was not you, reset it again right away and contact support:",
        ),
    };
    OutgoingMail {
        to: to.into(),
        subject: subject.into(),
        text: format!("{hello}\n\n{body}\n\n{not_you}\n{forgot}\n"),
        html: format!(
            "<p>{hello}</p>\n<p>{body}</p>\n<p>{not_you} <a href=\"{forgot}\">{forgot}</a></p>\n",
            hello = escape(&hello),
            body = escape(body),
            not_you = escape(not_you),
            forgot = escape(&forgot)
        ),
    }
}
