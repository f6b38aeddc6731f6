//! Mails that tell the owner, at the confirmed address, that a token was created, a key added
//! or the second factor changed (as GitHub does), each with an "it was not me" link
//! (`db::security_reports`). Whoever holds a leaked token or session can make these changes;
//! the owner hears of it within the minute and can end every session and token.

use super::{api_caller, ServerHost};
use crate::auth::session_token;
use crate::db::security_reports::{Alert, OwnerAlert, LIFETIME_SECS};
use crate::db::users::User;
use crate::mail::compose::{notice, Notice};
use app::host::Caller;
use app::i18n::Lang;

/// What the mail names: a token's name, a key's name and fingerprint.
pub struct Named<'a> {
    pub name: &'a str,
    pub fingerprint: Option<&'a str>,
}

fn subject(alert: Alert, lang: Lang) -> &'static str {
    match (alert, lang) {
        (Alert::NewToken, Lang::En) => "A new API token was created",
        (Alert::NewToken, Lang::Fr) => "Un nouveau jeton d’API a été créé",
        (Alert::RenewedToken, Lang::En) => "An API token was renewed",
        (Alert::RenewedToken, Lang::Fr) => "Un jeton d’API a été renouvelé",
        (Alert::NewKey, Lang::En) => "A new SSH key was added",
        (Alert::NewKey, Lang::Fr) => "Une nouvelle clé SSH a été ajoutée",
        (Alert::NewPasskey, Lang::En) => "A new passkey was added",
        (Alert::NewPasskey, Lang::Fr) => "Une nouvelle clé d’accès a été ajoutée",
        (Alert::TfaEnabled, Lang::En) => "Two-factor authentication was turned on",
        (Alert::TfaEnabled, Lang::Fr) => "La double authentification a été activée",
        (Alert::TfaDisabled, Lang::En) => "Two-factor authentication was turned off",
        (Alert::TfaDisabled, Lang::Fr) => "La double authentification a été désactivée",
        (Alert::RecoveryCodes, Lang::En) => "New recovery codes were made",
        (Alert::RecoveryCodes, Lang::Fr) => "De nouveaux codes de secours ont été générés",
    }
}

/// Longest part of a name a mail quotes: names are chosen by whoever made the change, so a
/// mail must not read as a message from them.
const NAME_CHARS: usize = 40;

/// The name as a mail shows it, on a labelled line of its own: short, on one line.
fn quoted_name(named: Option<&Named<'_>>, lang: Lang) -> String {
    let Some(named) = named else {
        return String::new();
    };
    let mut name: String = named
        .name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(NAME_CHARS)
        .collect();
    if named.name.chars().count() > NAME_CHARS {
        name.push('…');
    }
    let label = match lang {
        Lang::En => "Name (as given when it was made)",
        Lang::Fr => "Nom (tel que donné à sa création)",
    };
    match named.fingerprint {
        Some(fingerprint) => format!("{label}: {name}\n{fingerprint}"),
        None => format!("{label}: {name}"),
    }
}

fn what_happened(alert: Alert, lang: Lang) -> &'static str {
    match (alert, lang) {
        (Alert::NewToken, Lang::En) => "An API token was just created for your account.",
        (Alert::NewToken, Lang::Fr) => "Un jeton d’API vient d’être créé pour votre compte.",
        (Alert::RenewedToken, Lang::En) => {
            "An API token of your account was just renewed: it has a new secret, and the old one no longer works."
        }
        (Alert::RenewedToken, Lang::Fr) => {
            "Un jeton d’API de votre compte vient d’être renouvelé : il a un nouveau secret, et l’ancien ne fonctionne plus."
        }
        (Alert::NewKey, Lang::En) => {
            "An SSH key was just added to your account: it can push code to your applications."
        }
        (Alert::NewKey, Lang::Fr) => {
            "Une clé SSH vient d’être ajoutée à votre compte : elle peut pousser du code vers vos applications."
        }
        (Alert::NewPasskey, Lang::En) => "A passkey was just added to your account: it can sign in without your password.",
        (Alert::NewPasskey, Lang::Fr) => {
            "Une clé d’accès vient d’être ajoutée à votre compte : elle permet de se connecter sans votre mot de passe."
        }
        (Alert::TfaEnabled, Lang::En) => "Two-factor authentication was just turned on for your account.",
        (Alert::TfaEnabled, Lang::Fr) => "La double authentification vient d’être activée sur votre compte.",
        (Alert::TfaDisabled, Lang::En) => "Two-factor authentication was just turned off for your account.",
        (Alert::TfaDisabled, Lang::Fr) => "La double authentification vient d’être désactivée sur votre compte.",
        (Alert::RecoveryCodes, Lang::En) => {
            "New recovery codes were just made for your account; the previous ones no longer work."
        }
        (Alert::RecoveryCodes, Lang::Fr) => {
            "De nouveaux codes de secours viennent d’être générés pour votre compte ; les précédents ne fonctionnent plus."
        }
    }
}

impl ServerHost {
    /// The mail to `user` about `alert`, made by `caller`, with a fresh "it was not me" link;
    /// the caller queues it in the change's own transaction.
    pub(super) fn owner_alert(
        &self,
        caller: &Caller,
        user: &User,
        alert: Alert,
        named: Option<Named<'_>>,
    ) -> OwnerAlert {
        let lang = user.lang;
        let (token, token_digest) = session_token::generate();
        let link = format!("{}/security/report?token={token}", self.config.public_url);
        let browser = crate::agent::describe(&caller.user_agent).map(|a| app::events::agent_text(&a, lang));
        let door = match (api_caller(caller).is_some(), lang) {
            (true, Lang::En) => "through the API",
            (true, Lang::Fr) => "avec l’API",
            (false, Lang::En) => "from the dashboard",
            (false, Lang::Fr) => "depuis le tableau de bord",
        };
        let origin = match (browser, lang) {
            (Some(browser), Lang::En) => format!("It was done {door}, from {} ({browser}).", caller.ip),
            (Some(browser), Lang::Fr) => format!("Cela a été fait {door}, depuis {} ({browser}).", caller.ip),
            (None, Lang::En) => format!("It was done {door}, from {}.", caller.ip),
            (None, Lang::Fr) => format!("Cela a été fait {door}, depuis {}.", caller.ip),
        };
        let days = LIFETIME_SECS / 86_400;
        let also = match (alert, lang) {
            (Alert::NewKey, Lang::En) => ", and removes this key",
            (Alert::NewKey, Lang::Fr) => " et supprime cette clé",
            (Alert::NewPasskey, Lang::En) => ", and removes this passkey",
            (Alert::NewPasskey, Lang::Fr) => " et supprime cette clé d’accès",
            _ => "",
        };
        let (if_you, support, way_out) = match lang {
            Lang::En => (
                "If it was you, there is nothing to do.",
                "To undo a change to two-factor authentication that you did not make, contact support.",
                format!(
                    "If it was not you, follow this link (valid {days} days): it signs out every session and revokes every API token{also}. Then reset your password."
                ),
            ),
            Lang::Fr => (
                "Si c’était vous, il n’y a rien à faire.",
                "Pour annuler un changement de double authentification que vous n’avez pas fait, contactez le support.",
                format!(
                    "Si ce n’était pas vous, suivez ce lien (valable {days} jours) : il ferme toutes les sessions et révoque tous les jetons d’API{also}. Réinitialisez ensuite votre mot de passe."
                ),
            ),
        };
        let name = quoted_name(named.as_ref(), lang);
        let mut paragraphs: Vec<&str> = vec![what_happened(alert, lang)];
        paragraphs.extend(name.lines().filter(|line| !line.is_empty()));
        paragraphs.extend([origin.as_str(), if_you]);
        if matches!(alert, Alert::TfaEnabled | Alert::TfaDisabled) {
            paragraphs.push(support);
        }
        let mail = notice(Notice {
            to: &user.email,
            username: &user.username,
            lang,
            subject: subject(alert, lang),
            paragraphs: &paragraphs,
            link: Some((&way_out, &link)),
        });
        OwnerAlert {
            alert,
            subject: named.and_then(|n| n.fingerprint).map(str::to_string),
            token_digest,
            mail,
        }
    }
}
