//! `PUT /v1/users/account` (and the Go client's `PATCH /v1/account/profile`): profile,
//! newsletter, preferences, e-mail change and password change through the same host rules as
//! the tabs. Clients often send the whole user object back: fields equal to what is stored
//! change nothing and record no event. A new address or password also needs the current
//! password, and with the second factor on a code (`otp`, or the `X-Authorization-OTP` header
//! `scalingo login` uses): a leaked token alone must not be able to take the account.

use super::bearer::ApiUser;
use super::body::{Body, Wrapped};
use super::error::ApiError;
use super::users::user_json;
use crate::db::{account, email_changes, users};
use crate::state::AppState;
use app::error::{AppError, FieldError};
use app::host::{AuthPort, Caller, PrefsChange, ProfileInput, ProfilePort};
use app::i18n::{Key, Lang};
use app::prefs::Theme;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, Default, ToSchema)]
pub struct AccountChange {
    username: Option<String>,
    fullname: Option<String>,
    location: Option<String>,
    company: Option<String>,
    bio: Option<String>,
    email_newsletter: Option<bool>,
    email: Option<String>,
    current_password: Option<String>,
    /// A second-factor code (or recovery code), with `current_password`, when the factor is on.
    #[schema(value_type = Option<String>)]
    otp: Option<serde_json::Value>,
    password: Option<String>,
    password_confirmation: Option<String>,
    preferences: Option<PreferencesChange>,
}

#[derive(Deserialize, Default, ToSchema)]
pub struct PreferencesChange {
    locale: Option<String>,
    theme: Option<String>,
    time_zone: Option<String>,
}

impl Wrapped for AccountChange {
    const KEY: &'static str = "user";
}

/// Everything a request asks for, checked before anything is written.
struct Plan {
    profile: Option<app::model::Profile>,
    password: Option<(String, String)>,
    email: Option<String>,
    newsletter: Option<bool>,
    prefs: Option<PrefsChange>,
    /// The current password and code, when the address or the password changes.
    proof: Option<(String, String)>,
    username_before: String,
}

fn plan(state: &AppState, stored: &account::Account, change: AccountChange) -> Result<Plan, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let current = &stored.profile;
    let merged = |given: &Option<String>, stored: &str| given.clone().unwrap_or_else(|| stored.to_string());
    let username = merged(&change.username, &current.username);
    let fullname = merged(&change.fullname, &current.fullname);
    let location = merged(&change.location, &current.location);
    let company = merged(&change.company, &current.company);
    let bio = merged(&change.bio, &current.bio);
    let profile = match app::validate::profile(&username, &fullname, &location, &company, &bio) {
        Ok(profile) if &profile == current => None,
        Ok(profile) => Some(profile),
        Err(field_errors) => {
            errors.extend(field_errors);
            None
        }
    };
    let password = change.password.map(|new| {
        let confirm = change.password_confirmation.unwrap_or_else(|| new.clone());
        // Checked here too, so a bad new password is refused before any password is hashed.
        match app::validate::new_password(&new, &username, &stored.user.email) {
            Err(key) => errors.push(FieldError::new("new_password", key)),
            Ok(()) if crate::auth::common_passwords::is_common(&new) => {
                errors.push(FieldError::new("new_password", Key::ErrPasswordCommon))
            }
            Ok(()) => {}
        }
        if new != confirm {
            errors.push(FieldError::new("confirm_password", Key::ErrPasswordsDiffer));
        }
        (new, confirm)
    });
    let email = match change.email.as_deref().map(app::validate::email) {
        Some(Ok(email)) if email == stored.user.email => None,
        Some(Ok(email)) => Some(email),
        Some(Err(key)) => {
            errors.push(FieldError::new("email", key));
            None
        }
        None => None,
    };
    let current_password = change.current_password.unwrap_or_default();
    let proof = (password.is_some() || email.is_some()).then(|| {
        if current_password.is_empty() {
            errors.push(FieldError::new("current_password", Key::ErrRequired));
        }
        (current_password, super::tfa::attempt_text(change.otp.as_ref()))
    });
    let newsletter = change.email_newsletter.filter(|&on| on != stored.newsletter);
    let prefs = change.preferences.map(|p| {
        let theme = p.theme.as_deref().and_then(|code| {
            let theme = Theme::from_code(code);
            if theme.is_none() {
                errors.push(FieldError::new("theme", Key::ErrInvalidChoice));
            }
            theme
        });
        let lang = p.locale.as_deref().and_then(|code| {
            let lang = Lang::from_code(code);
            if lang.is_none() {
                errors.push(FieldError::new("locale", Key::ErrInvalidChoice));
            }
            lang
        });
        let time_zone = p
            .time_zone
            .as_deref()
            .and_then(|name| match app::validate::time_zone_name(name) {
                Ok(name) if state.server_host.is_time_zone(&name) => Some(name),
                Ok(_) => {
                    errors.push(FieldError::new("time_zone", Key::ErrTimeZoneUnknown));
                    None
                }
                Err(key) => {
                    errors.push(FieldError::new("time_zone", key));
                    None
                }
            });
        // Only what differs from what is stored: an echo records no event.
        PrefsChange {
            theme: theme.filter(|t| *t != stored.user.theme),
            lang: lang.filter(|l| *l != stored.user.lang),
            time_zone: time_zone.filter(|z| *z != stored.user.time_zone),
        }
    });
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(Plan {
        profile,
        password,
        email,
        newsletter,
        prefs: prefs.filter(|p| *p != PrefsChange::default()),
        proof,
        username_before: current.username.clone(),
    })
}

/// Applies the plan. The checks only the database can make come first, before any write: the
/// current password and code, an address in use, a username taken. Then the writes, the
/// address request first (its mail budget can still refuse it); only a race with another
/// request can refuse a later write after an earlier one went through.
async fn apply(state: &AppState, caller: &Caller, plan: Plan) -> Result<(), AppError> {
    let host = &state.server_host;
    let proven;
    let caller = match &plan.proof {
        Some((password, code)) => {
            proven = host.prove_identity(caller, password, Some(code)).await?;
            &proven
        }
        None => caller,
    };
    // What the writes below could still be refused for, checked before the first of them.
    let fail = |e: sqlx::Error| crate::host::internal(&caller.request_id, e);
    if let Some(email) = &plan.email {
        if email_changes::used_by_someone_else(&state.db, email, &caller.user_id)
            .await
            .map_err(fail)?
        {
            return Err(AppError::invalid("email", Key::ErrEmailUnavailable));
        }
    }
    if let Some(profile) = &plan.profile {
        let renamed = users::username_taken(&state.db, &profile.username)
            .await
            .map_err(fail)?;
        if renamed && profile.username != plan.username_before {
            return Err(AppError::invalid("username", Key::ErrUsernameTaken));
        }
    }
    // The address first: its hourly mail budget is the one refusal left that no check above
    // can foresee, and it should leave the rest unwritten.
    if let Some(email) = plan.email {
        host.request_email_change(caller, &email).await?;
    }
    if let Some(profile) = plan.profile {
        host.update_profile(caller, ProfileInput(profile)).await?;
    }
    if let Some((new, confirm)) = plan.password {
        host.change_password(caller, String::new(), new, confirm).await?;
    }
    if let Some(on) = plan.newsletter {
        host.set_newsletter(caller, on).await?;
    }
    if let Some(prefs) = plan.prefs {
        host.save_preferences(caller, prefs).await?;
    }
    Ok(())
}

#[utoipa::path(put, path = "/v1/users/account", tag = "users", security(("bearer" = [])),
    request_body(content = AccountChange, description = "`{\"user\":{fullname?,username?,company?,location?,email_newsletter?,email?,current_password?,otp?,password?,password_confirmation?,preferences?:{locale?,theme?,time_zone?}}}` or unwrapped. A new `email` or `password` needs `current_password`, and `otp` (or the `X-Authorization-OTP` header) when the second factor is on. A new `email` is mailed a confirmation link and shows as `unconfirmed_email` until followed."),
    responses((status = 200, description = "`{\"user\":{…}}`"), (status = 422, description = "`{\"errors\":{field:[…]}}`; nothing was written"),
        (status = 429, description = "too many e-mail changes or password attempts")))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    headers: http::HeaderMap,
    Body(change): Body<AccountChange>,
) -> Result<Response, ApiError> {
    let otp_header = headers
        .get("x-authorization-otp")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let fail = |e: AppError| ApiError::from_app(e, "user", user.lang);
    let stored = account::profile(&state.db, &user.caller.user_id)
        .await
        .map_err(user.fail())?
        .ok_or_else(|| ApiError::unauthorized("invalid credentials"))?;
    let mut change = change;
    if change.otp.is_none() {
        change.otp = otp_header.map(serde_json::Value::String);
    }
    let plan = plan(&state, &stored, change).map_err(fail)?;
    apply(&state, &user.caller, plan).await.map_err(fail)?;
    Ok(Json(user_json(&state, &user).await?).into_response())
}

#[utoipa::path(patch, path = "/v1/account/profile", tag = "users", security(("bearer" = [])),
    request_body(content = AccountChange, description = "The Go client's path for `PUT /v1/users/account`: same body, same answers"),
    responses((status = 200, description = "`{\"user\":{…}}`"), (status = 422, description = "`{\"errors\":{field:[…]}}`; nothing was written")))]
pub async fn update_profile(
    state: State<AppState>,
    user: ApiUser,
    headers: http::HeaderMap,
    body: Body<AccountChange>,
) -> Result<Response, ApiError> {
    update(state, user, headers, body).await
}
