//! The sentence each event type reads as in the Timeline, in both languages.

use super::EventType;
use crate::i18n::{Key, Lang};
use crate::model::{DocumentKind, HdsField, ProfileField};
use serde_json::Value;

/// "Firefox on Linux" / "Firefox sous Linux".
pub fn agent_text(agent: &crate::model::Agent, lang: Lang) -> String {
    match &agent.system {
        Some(system) => format!("{} {} {system}", agent.browser, Key::OnSystem.text(lang)),
        None => agent.browser.clone(),
    }
}

/// The sentence for an event as the Timeline shows it, falling back to its type name.
pub fn describe(event: &crate::model::EventView, lang: Lang) -> String {
    let browser = event.agent.as_ref().map(|a| agent_text(a, lang));
    sentence(&event.kind, &event.data, event.ip.as_deref(), browser.as_deref(), lang)
        .unwrap_or_else(|| format!("{} {}", Key::UnknownEvent.text(lang), event.kind))
}

/// Sign-in sentences say where from; other events show the address beside them.
pub fn sentence_names_place(kind: &str) -> bool {
    matches!(
        EventType::from_name(kind),
        Some(EventType::LoginSuccess | EventType::LoginFailure)
    )
}

fn text<'a>(data: &'a Value, field: &str) -> Option<&'a str> {
    data.get(field).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// "Firefox on Linux" for the sentence's parenthesis, with the address when known.
fn from_where(lang: Lang, ip: Option<&str>, browser: Option<&str>) -> String {
    match (ip, browser) {
        (Some(ip), Some(browser)) => format!(" {} {ip} ({browser})", Key::FromAddress.text(lang)),
        (Some(ip), None) => format!(" {} {ip}", Key::FromAddress.text(lang)),
        (None, Some(browser)) => format!(" ({browser})"),
        (None, None) => String::new(),
    }
}

/// The `changed` field names of an edit event, as their labels (lower case), in order.
fn changed_fields(data: &Value, lang: Lang, label: impl Fn(&str) -> Option<Key>) -> String {
    data.get("changed")
        .and_then(Value::as_array)
        .map(|fields| {
            fields
                .iter()
                .filter_map(Value::as_str)
                .map(|name| label(name).map_or_else(|| name.to_string(), |l| l.text(lang).to_lowercase()))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn profile_fields(data: &Value, lang: Lang) -> String {
    changed_fields(data, lang, |name| {
        ProfileField::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .map(|f| f.label())
    })
}

fn preference_changes(data: &Value, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(theme) = text(data, "theme").and_then(crate::prefs::Theme::from_code) {
        let name = crate::components::theme_label(theme).text(lang).to_lowercase();
        parts.push(format!("{} : {name}", Key::Theme.text(lang).to_lowercase()));
    }
    if let Some(locale) = text(data, "locale").and_then(Lang::from_code) {
        parts.push(format!(
            "{} : {}",
            Key::Language.text(lang).to_lowercase(),
            locale.native_name()
        ));
    }
    if let Some(zone) = text(data, "time_zone") {
        parts.push(format!("{} : {zone}", Key::TimeZoneLabel.text(lang).to_lowercase()));
    }
    let joined = parts.join(", ");
    // English puts no space before a colon.
    match lang {
        Lang::En => joined.replace(" : ", ": "),
        Lang::Fr => joined,
    }
}

/// "SSH key added: laptop (SHA256:…)"; French puts a space before the colon.
fn named(what: String, name: Option<&str>, detail: Option<&str>, lang: Lang) -> String {
    let colon = match lang {
        Lang::En => ":",
        Lang::Fr => " :",
    };
    match (name, detail) {
        (Some(name), Some(detail)) => format!("{what}{colon} {name} ({detail})"),
        (Some(name), None) => format!("{what}{colon} {name}"),
        _ => what,
    }
}

/// "Payment method added: card •••• 4242".
fn payment_method(what: String, data: &Value, lang: Lang) -> String {
    let kind = match text(data, "payment_method") {
        Some("sepa") => Key::MethodSepa.text(lang),
        _ => Key::MethodCard.text(lang),
    };
    let last4 = text(data, "last4").unwrap_or("");
    named(what, Some(&format!("{kind} •••• {last4}")), None, lang)
}

/// "Integration connected: GitHub (octocat)", from Scalingo's event data
/// `{integration_type, data: {login}}`.
fn integration(what: String, data: &Value, lang: Lang) -> String {
    let kind = text(data, "integration_type");
    let name = kind
        .and_then(crate::model::ScmType::from_code)
        .map(|t| t.name(lang).to_string())
        .or(kind.map(str::to_string));
    let login = data.get("data").and_then(|d| text(d, "login"));
    let subject = match (name, login) {
        (Some(name), Some(login)) => format!("{name} ({login})"),
        (Some(name), None) => name,
        (None, Some(login)) => login.to_string(),
        (None, None) => return what,
    };
    match lang {
        Lang::En => format!("{what}: {subject}"),
        Lang::Fr => format!("{what} : {subject}"),
    }
}

/// The changed fields of the healthcare point of contact, as their labels.
fn hds_fields(data: &Value, lang: Lang) -> String {
    changed_fields(data, lang, |name| HdsField::from_name(name).map(HdsField::label))
}

/// The sentence an event reads as, or `None` for a type nobody wrote one for yet (the Timeline
/// then shows its type name). `ip` and `browser` come from the event's own record.
pub fn sentence(kind: &str, data: &Value, ip: Option<&str>, browser: Option<&str>, lang: Lang) -> Option<String> {
    let t = |key: Key| key.text(lang).to_string();
    let sentence = match EventType::from_name(kind)? {
        EventType::NewUser => match text(data, "by") {
            Some("operator") => t(Key::EventNewUserByOperator),
            _ => t(Key::EventNewUser),
        },
        EventType::LoginSuccess => match text(data, "passkey") {
            // "Signed in with a passkey (Work laptop) from …"
            Some(name) => format!(
                "{} ({name}){}",
                t(Key::EventLoginWithPasskey),
                from_where(lang, ip, browser)
            ),
            None => format!("{}{}", t(Key::EventLoginSuccess), from_where(lang, ip, browser)),
        },
        EventType::LoginFailure => {
            let failed = format!("{}{}", t(Key::EventLoginFailure), from_where(lang, ip, browser));
            match data.get("paused").and_then(Value::as_bool) {
                Some(true) => format!("{failed} {}", t(Key::EventLoginPaused)),
                _ => failed,
            }
        }
        EventType::Logout => t(Key::EventLogout),
        EventType::EditPassword => match text(data, "by") {
            Some("operator") => t(Key::EventPasswordResetByOperator),
            Some("reset link") => t(Key::EventPasswordResetByLink),
            _ => t(Key::EventEditPassword),
        },
        EventType::EditProfile => match (text(data, "previous_username"), text(data, "username")) {
            (Some(before), Some(after)) => format!("{} {before} → {after}", t(Key::EventUsernameChanged)),
            _ => format!("{} ({})", t(Key::EventEditProfile), profile_fields(data, lang)),
        },
        EventType::EditNewsletter => match data.get("subscribed").and_then(Value::as_bool) {
            Some(true) => t(Key::EventNewsletterOn),
            _ => t(Key::EventNewsletterOff),
        },
        EventType::EditPreferences => {
            let changes = preference_changes(data, lang);
            if changes.is_empty() {
                t(Key::EventEditPreferences)
            } else {
                format!("{} ({changes})", t(Key::EventEditPreferences))
            }
        }
        EventType::AcceptContract => {
            let name = text(data, "name")
                .and_then(DocumentKind::from_slug)
                .map(|k| k.name().text(lang).to_string())
                .unwrap_or_else(|| text(data, "name").unwrap_or("?").to_string());
            let version = text(data, "version").unwrap_or("?");
            let mut s = format!(
                "{name}, {} {version} : {}",
                Key::VersionLabel.text(lang).to_lowercase(),
                t(Key::EventAccepted)
            );
            if let Some(locale) = text(data, "locale").and_then(Lang::from_code) {
                s.push_str(&format!(" ({} {})", Key::InLanguage.text(lang), locale.native_name()));
            }
            match lang {
                Lang::En => s.replace(" : ", ": "),
                Lang::Fr => s,
            }
        }
        EventType::Reauthenticate => match text(data, "passkey") {
            Some(name) => format!("{} ({name})", t(Key::EventReauthenticateWithPasskey)),
            None => t(Key::EventReauthenticate),
        },
        EventType::RevokeSession => match data.get("count").and_then(Value::as_u64) {
            Some(n) if text(data, "scope") == Some("others") => {
                format!("{} ({n})", t(Key::EventRevokeOtherSessions))
            }
            _ => t(Key::EventRevokeSession),
        },
        EventType::TfaEnabled => t(Key::EventTfaEnabled),
        EventType::TfaDisabled => t(Key::EventTfaDisabled),
        EventType::RegenerateRecoveryCodes => t(Key::EventRegenerateRecoveryCodes),
        EventType::RequestEmailChange => t(Key::EventRequestEmailChange),
        EventType::EditEmail => t(Key::EventEditEmail),
        EventType::CancelEmailChange => match text(data, "by") {
            Some("old address") => t(Key::EventEmailChangeReported),
            _ => t(Key::EventCancelEmailChange),
        },
        EventType::DeleteAccount => t(Key::EventDeleteAccount),
        EventType::NewKey => named(t(Key::EventNewKey), text(data, "name"), text(data, "fingerprint"), lang),
        EventType::DeleteKey => named(
            t(Key::EventDeleteKey),
            text(data, "name"),
            text(data, "fingerprint"),
            lang,
        ),
        EventType::NewToken => {
            // A limited token says what it may do: "API token created: ci (account:read)".
            let scopes = data
                .get("scopes")
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "));
            named(t(Key::EventNewToken), text(data, "token_name"), scopes.as_deref(), lang)
        }
        EventType::RegenerateToken => named(t(Key::EventRegenerateToken), text(data, "token_name"), None, lang),
        EventType::DeleteToken => named(t(Key::EventDeleteToken), text(data, "token_name"), None, lang),
        EventType::NewApp => match text(data, "by") {
            Some("operator") => named(t(Key::EventNewAppByOperator), text(data, "app_name"), None, lang),
            _ => named(t(Key::EventNewApp), text(data, "app_name"), None, lang),
        },
        EventType::DeleteApp => match text(data, "by") {
            Some("operator") => named(t(Key::EventDeleteAppByOperator), text(data, "app_name"), None, lang),
            _ => named(t(Key::EventDeleteApp), text(data, "app_name"), None, lang),
        },
        EventType::SecurityReport => {
            let ended = t(Key::EventSecurityReport);
            let removed = |field: &str| data.get(field).and_then(Value::as_bool) == Some(true);
            if removed("key_removed") {
                format!("{ended} {}", t(Key::EventSecurityReportKeyRemoved))
            } else if removed("passkey_removed") {
                format!("{ended} {}", t(Key::EventSecurityReportPasskeyRemoved))
            } else {
                ended
            }
        }
        EventType::AddCredit => {
            let amount = data.get("amount").and_then(Value::as_i64).unwrap_or(0);
            named(
                t(Key::EventAddCredit),
                Some(&crate::model::format_euros(amount, lang)),
                text(data, "reason"),
                lang,
            )
        }
        EventType::AddPaymentMethod => payment_method(t(Key::EventAddPaymentMethod), data, lang),
        EventType::EditPaymentMethod => payment_method(t(Key::EventDefaultPaymentMethod), data, lang),
        EventType::DeletePaymentMethod => payment_method(t(Key::EventDeletePaymentMethod), data, lang),
        EventType::PaymentAttempt => {
            let amount = data.get("amount").and_then(Value::as_i64).unwrap_or(0);
            let what = match text(data, "status") {
                Some("paid") => t(Key::EventPaymentSucceeded),
                _ => t(Key::EventPaymentFailed),
            };
            named(
                what,
                text(data, "invoice_number"),
                Some(&crate::model::format_euros(amount, lang)),
                lang,
            )
        }
        EventType::EditHdsContact => {
            let fields = hds_fields(data, lang);
            if fields.is_empty() {
                t(Key::EventEditHdsContact)
            } else {
                format!("{} ({fields})", t(Key::EventEditHdsContact))
            }
        }
        EventType::ReviewHdsContact => t(Key::EventReviewHdsContact),
        EventType::NewIntegration => integration(t(Key::EventNewIntegration), data, lang),
        EventType::NewPasskey => named(t(Key::EventNewPasskey), text(data, "name"), None, lang),
        EventType::DeletePasskey => named(t(Key::EventDeletePasskey), text(data, "name"), None, lang),
        EventType::DeleteIntegration => integration(t(Key::EventDeleteIntegration), data, lang),
    };
    Some(sentence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Data each type is recorded with (as the host records it).
    fn sample(t: EventType) -> Value {
        match t {
            EventType::NewUser | EventType::Logout => json!({}),
            EventType::LoginSuccess | EventType::LoginFailure => json!({"remote_ip": "203.0.113.7"}),
            EventType::EditPassword => json!({"by": "operator"}),
            EventType::EditProfile => json!({"changed": ["fullname", "location"]}),
            EventType::EditNewsletter => json!({"subscribed": true}),
            EventType::EditPreferences => json!({"theme": "dark", "locale": "fr", "time_zone": "Europe/Paris"}),
            EventType::AcceptContract => json!({"name": "terms", "version": "2026-11", "locale": "fr"}),
            EventType::RevokeSession => json!({"scope": "others", "count": 2}),
            EventType::TfaEnabled => json!({"provider": "totp"}),
            EventType::CancelEmailChange => json!({"by": "old address"}),
            EventType::NewKey | EventType::DeleteKey => json!({"name": "laptop", "fingerprint": "SHA256:abc"}),
            EventType::NewToken | EventType::RegenerateToken | EventType::DeleteToken => {
                json!({"token_name": "ci", "token_id": "t1"})
            }
            EventType::NewApp | EventType::DeleteApp => json!({"app_name": "my-app", "app_id": "a1"}),
            EventType::SecurityReport => json!({"about": "new_key", "sessions": 2, "tokens": 1, "key_removed": true}),
            EventType::EditHdsContact => json!({"changed": ["phone_number", "address_city"]}),
            EventType::AddCredit => json!({"payment_method": "operator", "amount": 5000, "reason": "Bank transfer"}),
            EventType::AddPaymentMethod | EventType::EditPaymentMethod | EventType::DeletePaymentMethod => {
                json!({"payment_method": "card", "brand": "visa", "last4": "4242"})
            }
            EventType::PaymentAttempt => {
                json!({"amount": 1200, "payment_method": "credit", "status": "paid", "invoice_number": "2026-000001"})
            }
            EventType::ReviewHdsContact => json!({}),
            EventType::NewPasskey | EventType::DeletePasskey => json!({"name": "Work laptop", "passkey_id": "p1"}),
            EventType::NewIntegration | EventType::DeleteIntegration => json!({
                "integration_id": "i1", "integration_type": "gitlab-self-hosted",
                "data": {"login": "octocat", "avatar_url": "", "url": "https://gitlab.example.com"}
            }),
            EventType::Reauthenticate
            | EventType::TfaDisabled
            | EventType::RegenerateRecoveryCodes
            | EventType::RequestEmailChange
            | EventType::EditEmail
            | EventType::DeleteAccount => json!({}),
        }
    }
    #[test]
    fn integration_sentences_name_the_provider_and_login() {
        let data = sample(EventType::NewIntegration);
        assert_eq!(
            sentence("new_integration", &data, None, None, Lang::En).as_deref(),
            Some("Integration connected: GitLab self-hosted (octocat)")
        );
        assert_eq!(
            sentence("delete_integration", &data, None, None, Lang::Fr).as_deref(),
            Some("Intégration déconnectée : GitLab auto-hébergé (octocat)")
        );
    }

    #[test]
    fn hds_sentences_name_the_changed_fields() {
        let edit = sample(EventType::EditHdsContact);
        assert_eq!(
            sentence("edit_hds_contact", &edit, None, None, Lang::En).as_deref(),
            Some("Healthcare point of contact changed (phone number, city)")
        );
        assert_eq!(
            sentence("edit_hds_contact", &edit, None, None, Lang::Fr).as_deref(),
            Some("Contact santé modifié (numéro de téléphone, ville)")
        );
        assert_eq!(
            sentence("review_hds_contact", &json!({}), None, None, Lang::Fr).as_deref(),
            Some("Contact santé confirmé comme toujours exact")
        );
    }

    #[test]
    fn key_and_token_sentences_name_what_changed() {
        let key = sample(EventType::NewKey);
        assert_eq!(
            sentence("new_key", &key, None, None, Lang::En).as_deref(),
            Some("SSH key added: laptop (SHA256:abc)")
        );
        assert_eq!(
            sentence("delete_token", &sample(EventType::DeleteToken), None, None, Lang::Fr).as_deref(),
            Some("Jeton d’API révoqué : ci")
        );
        let limited = json!({"token_name": "ci", "token_id": "t1", "scopes": ["account:read", "keys:write"]});
        assert_eq!(
            sentence("new_token", &limited, None, None, Lang::En).as_deref(),
            Some("API token created: ci (account:read, keys:write)")
        );
        assert_eq!(
            sentence("new_token", &sample(EventType::NewToken), None, None, Lang::En).as_deref(),
            Some("API token created: ci")
        );
    }

    #[test]
    fn app_sentences_name_the_app_and_say_when_an_operator_acted() {
        assert_eq!(
            sentence("new_app", &sample(EventType::NewApp), None, None, Lang::En).as_deref(),
            Some("App created: my-app")
        );
        let by_operator = json!({"app_name": "my-app", "by": "operator"});
        assert_eq!(
            sentence("delete_app", &by_operator, None, None, Lang::Fr).as_deref(),
            Some("Application supprimée par un opérateur : my-app")
        );
    }

    #[test]
    fn every_type_has_a_sentence_in_both_languages() {
        for t in EventType::ALL {
            let en = sentence(t.as_str(), &sample(t), None, None, Lang::En);
            let fr = sentence(t.as_str(), &sample(t), None, None, Lang::Fr);
            let (Some(en), Some(fr)) = (en, fr) else {
                panic!("{} has no sentence", t.as_str());
            };
            assert!(!en.trim().is_empty() && !fr.trim().is_empty(), "{}", t.as_str());
            assert_ne!(en, fr, "{} is not translated", t.as_str());
            assert!(!en.contains(t.as_str()), "{en}");
        }
    }

    #[test]
    fn sentences_read_naturally() {
        let sign_in = sentence(
            "login_success",
            &json!({}),
            Some("203.0.113.7"),
            Some("Firefox on Linux"),
            Lang::En,
        );
        assert_eq!(
            sign_in.as_deref(),
            Some("Signed in from 203.0.113.7 (Firefox on Linux)")
        );
        let password = |by: &str, lang| sentence("edit_password", &json!({ "by": by }), None, None, lang);
        assert_eq!(
            password("operator", Lang::En).as_deref(),
            Some("Password reset by an operator")
        );
        assert_eq!(
            password("reset link", Lang::Fr).as_deref(),
            Some("Mot de passe réinitialisé par un lien reçu par e-mail")
        );
        assert_eq!(password("user", Lang::En).as_deref(), Some("Password changed"));
        let profile = sentence("edit_profile", &sample(EventType::EditProfile), None, None, Lang::Fr);
        assert_eq!(
            profile.as_deref(),
            Some("Profil mis à jour (nom complet, localisation)")
        );
        let prefs = sentence(
            "edit_preferences",
            &sample(EventType::EditPreferences),
            None,
            None,
            Lang::En,
        );
        assert_eq!(
            prefs.as_deref(),
            Some("Preferences changed (theme: dark, language: Français, time zone: Europe/Paris)")
        );
        let contract = sentence(
            "accept_contract",
            &sample(EventType::AcceptContract),
            None,
            None,
            Lang::En,
        );
        assert_eq!(
            contract.as_deref(),
            Some("Terms of Service, version 2026-11: accepted (in Français)")
        );
        assert_eq!(sentence("mystery_event", &json!({}), None, None, Lang::En), None);
    }
}
