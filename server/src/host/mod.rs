//! The host side of the server functions: `app::host`'s ports over the database (the Basic
//! information and Timeline ports here, the other tabs' in their modules). Server
//! functions in `app` validate and call these; SQL, events and time zones stay here.

use crate::db::account::{self, Account, UpdateProfileError};
use crate::db::documents::{self, AcceptError, AccountDocuments, StoredAcceptance, StoredDocument};
use crate::db::events::Actor;
use crate::db::events::StoredEvent;
use crate::db::timeline::{self, Cursor, Filter, Position};
use crate::db::{now, Db};
use crate::tz;
use app::error::{AppError, FieldError};
use app::host::{Caller, PrefsChange, ProfileInput, ProfilePort, TimelinePort};
use app::i18n::{Key, Lang};
use app::model::*;
use std::fmt::Display;

mod alerts;
pub mod apps;
mod auth;
pub mod billing;
mod deletion;
mod email;
pub mod hds;
mod identity;
pub mod keys;
mod passkeys;
pub mod payments;
pub mod referrals;
pub mod scm;
pub mod scm_oauth;
pub mod tokens;
pub mod two_factor;

/// What server functions reach on the server: the database and the parts of the application
/// state sensitive changes need (hashing, the key that seals secrets, mail).
pub struct ServerHost {
    pub db: Db,
    pub hasher: crate::auth::password::Hasher,
    pub config: std::sync::Arc<crate::config::Config>,
    pub secret: crate::secret::SecretKey,
    pub lifetimes: crate::db::sessions::Lifetimes,
    pub throttle: crate::auth::throttle::Policy,
    pub mail_wake: std::sync::Arc<tokio::sync::Notify>,
}

/// What the session middleware read for one request, reused while its page renders: the
/// account row, and the account's documents once someone asked (the banner and the Basic
/// information tab both need them).
#[derive(Debug)]
pub struct RequestAccount {
    pub account: Account,
    documents: tokio::sync::OnceCell<AccountDocuments>,
}

impl RequestAccount {
    pub fn new(account: Account) -> Self {
        RequestAccount {
            account,
            documents: tokio::sync::OnceCell::new(),
        }
    }
}

pub(crate) fn request_account(caller: &Caller) -> Option<&RequestAccount> {
    caller.host_data.0.as_ref()?.downcast_ref::<RequestAccount>()
}

/// Marks a caller that came through the REST API with a bearer token (see `crate::api`).
#[derive(Debug)]
pub struct ApiCaller {
    pub token_id: String,
    /// The request carried the account's password (and a second-factor code when on), checked
    /// by `ServerHost::prove_identity`: what a leaked token alone cannot supply.
    pub identity_proven: bool,
    /// What the API token behind the request may do (full access when signed in by password).
    pub scopes: app::model::TokenScopes,
}

pub(crate) fn api_caller(caller: &Caller) -> Option<&ApiCaller> {
    caller.host_data.0.as_ref()?.downcast_ref::<ApiCaller>()
}

/// What the caller may do: full access from a browser session or a full-access token.
pub(crate) fn caller_scopes(caller: &Caller) -> app::model::TokenScopes {
    api_caller(caller).map(|api| api.scopes.clone()).unwrap_or_default()
}

/// An API caller whose request proved it holds the account's password (see `ApiCaller`).
pub(crate) fn identity_proven(caller: &Caller) -> bool {
    api_caller(caller).is_some_and(|api| api.identity_proven)
}

/// Marks the response being rendered as one that holds a secret (a token's secret, recovery
/// codes, a second factor's secret): it is never compressed (see `web::compress`, BREACH).
/// Outside a Leptos render or call (the REST API), the handler marks its own response.
pub(crate) fn mark_secret_response() {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(crate::web::compress::SECRET_INSIDE, http::HeaderValue::from_static("1"));
    }
}

/// Logs the cause under the request id and answers with the id only: never a database
/// message on the wire.
pub(crate) fn internal(request_id: &str, cause: impl Display) -> AppError {
    tracing::error!(request_id = %request_id, error = %cause, "server function failed");
    AppError::Internal {
        reference: request_id.to_string(),
    }
}

pub(crate) fn actor(caller: &Caller) -> Actor {
    Actor {
        ip: Some(caller.ip.clone()),
        user_agent: Some(caller.user_agent.clone()),
    }
}

fn acceptance(a: StoredAcceptance, zone: &str) -> Acceptance {
    Acceptance {
        at: tz::stamp(a.accepted_at, zone),
        lang: a.lang,
    }
}

fn document_summary(doc: &StoredDocument, accepted: Option<StoredAcceptance>, zone: &str) -> DocumentSummary {
    DocumentSummary {
        id: doc.id.clone(),
        kind: doc.kind,
        version: doc.version.clone(),
        published_at: tz::stamp(doc.published_at, zone),
        required: doc.required,
        accepted: accepted.map(|a| acceptance(a, zone)),
    }
}

fn documents_view(docs: &AccountDocuments, zone: &str) -> Documents {
    Documents {
        current: docs
            .current
            .iter()
            .map(|(doc, a)| document_summary(doc, *a, zone))
            .collect(),
        archived: docs
            .archived
            .iter()
            .map(|(doc, a)| document_summary(doc, Some(*a), zone))
            .collect(),
    }
}

/// Events per Timeline page.
pub const TIMELINE_PAGE: usize = 50;

/// An event as the Timeline and the exports show it.
pub fn event_view(event: StoredEvent, zone: &str) -> EventView {
    let category = app::events::EventType::from_name(&event.kind)
        .map(|t| t.category())
        .unwrap_or(app::events::Category::Other);
    EventView {
        id: event.id,
        category,
        at: tz::stamp(event.created_at, zone),
        // Operator commands record no address.
        ip: event.ip.filter(|ip| !ip.is_empty() && ip != "unknown"),
        agent: event.user_agent.as_deref().and_then(crate::agent::describe),
        data: event.data,
        kind: event.kind,
    }
}

/// The Timeline's filter in database terms: days become instants in the account's zone.
pub fn timeline_filter(request: &TimelineRequest, zone: &str) -> Filter {
    Filter {
        category: request.category,
        from: request.from.and_then(|day| tz::start_of_day(day, zone)),
        until: request.to.and_then(|day| tz::end_of_day(day, zone)),
    }
}

impl ServerHost {
    /// The account's documents, read once per request.
    async fn account_documents(&self, caller: &Caller) -> Result<AccountDocuments, AppError> {
        let fetch = || documents::for_account(&self.db, &caller.user_id);
        let result = match request_account(caller) {
            Some(memo) => memo.documents.get_or_try_init(fetch).await.cloned(),
            None => fetch().await,
        };
        result.map_err(|e| internal(&caller.request_id, e))
    }
}

#[async_trait::async_trait]
impl ProfilePort for ServerHost {
    async fn basic_info(&self, caller: &Caller) -> Result<BasicInfo, AppError> {
        let stored = match request_account(caller) {
            Some(memo) => memo.account.clone(),
            None => account::profile(&self.db, &caller.user_id)
                .await
                .map_err(|e| internal(&caller.request_id, e))?
                .ok_or(AppError::SessionExpired)?,
        };
        let zone = stored.user.time_zone.as_str();
        Ok(BasicInfo {
            profile: stored.profile,
            email: stored.user.email.clone(),
            member_since: tz::stamp(stored.user.created_at, zone),
            newsletter: Newsletter {
                subscribed: stored.newsletter,
                changed_at: stored.newsletter_changed_at.map(|at| tz::stamp(at, zone)),
            },
            documents: documents_view(&self.account_documents(caller).await?, zone).only(false),
            prefs: AccountPrefs {
                theme: stored.user.theme,
                lang: stored.user.lang,
                time_zone: stored.user.time_zone.clone(),
            },
        })
    }

    async fn update_profile(&self, caller: &Caller, input: ProfileInput) -> Result<ProfileSaved, AppError> {
        let ProfileInput(profile) = input;
        match account::update_profile(&self.db, &caller.user_id, &profile, &actor(caller)).await {
            Ok(changed) => Ok(ProfileSaved { profile, changed }),
            Err(UpdateProfileError::UsernameTaken) => Err(AppError::Invalid(vec![FieldError::new(
                "username",
                Key::ErrUsernameTaken,
            )])),
            Err(UpdateProfileError::NotFound) => Err(AppError::SessionExpired),
            Err(UpdateProfileError::Db(e)) => Err(internal(&caller.request_id, e)),
        }
    }

    async fn set_newsletter(&self, caller: &Caller, subscribed: bool) -> Result<Newsletter, AppError> {
        let (subscribed, changed_at) = account::set_newsletter(&self.db, &caller.user_id, subscribed, &actor(caller))
            .await
            .map_err(|e| internal(&caller.request_id, e))?;
        Ok(Newsletter {
            subscribed,
            changed_at: changed_at.map(|at| tz::stamp(at, &caller.time_zone)),
        })
    }

    async fn accept_document(&self, caller: &Caller, document_id: &str, lang: Lang) -> Result<Documents, AppError> {
        match documents::accept(&self.db, &caller.user_id, document_id, lang, &actor(caller), now()).await {
            // Read again: the acceptance is new.
            Ok(()) => documents::for_account(&self.db, &caller.user_id)
                .await
                .map(|docs| documents_view(&docs, &caller.time_zone))
                .map_err(|e| internal(&caller.request_id, e)),
            Err(AcceptError::NotFound) => Err(AppError::NotFound),
            Err(AcceptError::Outdated) => Err(AppError::Conflict(Key::ErrDocumentOutdated)),
            Err(AcceptError::Db(e)) => Err(internal(&caller.request_id, e)),
        }
    }

    async fn pending_documents(&self, caller: &Caller) -> Result<Vec<DocumentSummary>, AppError> {
        let pending = self.account_documents(caller).await?.pending();
        Ok(pending
            .iter()
            .map(|doc| document_summary(doc, None, &caller.time_zone))
            .collect())
    }

    async fn save_preferences(&self, caller: &Caller, change: PrefsChange) -> Result<AccountPrefs, AppError> {
        let (prefs, time_zone) = account::save_preferences(
            &self.db,
            &caller.user_id,
            change.theme,
            change.lang,
            change.time_zone.as_deref(),
            &actor(caller),
        )
        .await
        .map_err(|e| internal(&caller.request_id, e))?;
        Ok(AccountPrefs {
            theme: prefs.theme,
            lang: prefs.lang,
            time_zone,
        })
    }

    fn is_time_zone(&self, name: &str) -> bool {
        tz::is_known(name)
    }

    async fn document(
        &self,
        caller: Option<&Caller>,
        kind: DocumentKind,
        version: Option<&str>,
        lang: Lang,
    ) -> Result<DocumentPage, AppError> {
        let request_id = caller.map(|c| c.request_id.as_str()).unwrap_or("");
        let (doc, is_current, body) = documents::find(&self.db, kind, version, lang)
            .await
            .map_err(|e| internal(request_id, e))?
            .ok_or(AppError::NotFound)?;
        let zone = caller.map(|c| c.time_zone.as_str()).unwrap_or("UTC");
        let accepted = match caller {
            Some(caller) => {
                let mine = self.account_documents(caller).await?;
                let current = mine.current.iter().filter_map(|(d, a)| a.map(|a| (d, a)));
                let archived = mine.archived.iter().map(|(d, a)| (d, *a));
                current.chain(archived).find(|(d, _)| d.id == doc.id).map(|(_, a)| a)
            }
            None => None,
        };
        Ok(DocumentPage {
            summary: document_summary(&doc, accepted, zone),
            is_current,
            body_lang: lang,
            body_html: body,
        })
    }

    async fn signup_documents(&self) -> Result<Vec<DocumentSummary>, AppError> {
        let current = documents::current(&self.db).await.map_err(|e| internal("", e))?;
        Ok(current
            .iter()
            .filter(|d| d.required && !d.kind.is_hds())
            .map(|doc| document_summary(doc, None, "UTC"))
            .collect())
    }
}

#[async_trait::async_trait]
impl TimelinePort for ServerHost {
    async fn timeline(&self, caller: &Caller, request: TimelineRequest) -> Result<TimelinePage, AppError> {
        let zone = caller.time_zone.as_str();
        let filter = timeline_filter(&request, zone);
        let fail = |e| internal(&caller.request_id, e);
        let limit = TIMELINE_PAGE as i64 + 1;
        let read = |cursor| timeline::page(&self.db, &caller.user_id, filter, cursor, limit);
        let cursor = match request.cursor {
            PageCursor::Newest => Cursor::Newest,
            PageCursor::Before { at, id } => Cursor::Before(Position { at, id }),
            PageCursor::After { at, id } => Cursor::After(Position { at, id }),
        };
        let mut rows = read(cursor).await.map_err(fail)?;
        let mut from_top = matches!(cursor, Cursor::Newest);
        if matches!(cursor, Cursor::After(_)) {
            if rows.len() > TIMELINE_PAGE {
                // The page just above the cursor: drop the one beyond it.
                rows.remove(0);
            } else {
                // Not a full page above: that is the newest page.
                rows = read(Cursor::Newest).await.map_err(fail)?;
                from_top = true;
            }
        }
        let more_below = match cursor {
            Cursor::After(_) if !from_top => true,
            _ => rows.len() > TIMELINE_PAGE,
        };
        rows.truncate(TIMELINE_PAGE);
        let position = |e: &StoredEvent| PageCursor::encode(e.created_at, e.id);
        let older = more_below.then(|| rows.last().map(position)).flatten();
        let newer = if from_top {
            None
        } else {
            match (rows.first(), cursor) {
                (Some(first), _) => Some(position(first)),
                // Nothing below a cursor (the end of the history): offer what is above it.
                (None, Cursor::Before(p)) => Some(PageCursor::encode(p.at, p.id)),
                (None, _) => None,
            }
        };
        Ok(TimelinePage {
            events: rows.into_iter().map(|e| event_view(e, zone)).collect(),
            older,
            newer,
            now: now(),
        })
    }
}
