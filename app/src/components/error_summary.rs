use crate::context::{tr, use_lang, FormFeedback};
use crate::error::AppError;
use crate::i18n::Key;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// What went wrong with a form, ready to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems {
    pub fields: Vec<(String, Key)>,
    pub form: Option<Key>,
    pub retry_after_secs: Option<u64>,
    /// The request id to quote to support after an internal error.
    pub reference: Option<String>,
    /// Offer "Sign in again", back to this page.
    pub session_expired: bool,
    /// Point to the form that confirms the password (the Authentication tab's `#reauth`).
    pub reauth: bool,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.form.is_none()
    }

    pub fn from_feedback(feedback: &FormFeedback) -> Problems {
        Problems {
            fields: feedback.field_errors.clone(),
            form: feedback.form_error,
            retry_after_secs: feedback.retry_after_secs,
            reference: feedback.reference.clone(),
            session_expired: false,
            reauth: false,
        }
    }

    pub fn from_error(error: &AppError) -> Problems {
        let form = |key| Problems {
            form: Some(key),
            ..Problems::default()
        };
        match error {
            AppError::Invalid(errors) => Problems {
                fields: errors.iter().map(|e| (e.field.clone(), e.key)).collect(),
                ..Problems::default()
            },
            AppError::SessionExpired => Problems {
                session_expired: true,
                ..form(Key::ErrSessionExpired)
            },
            AppError::Forbidden => form(Key::ErrForbidden),
            AppError::NotFound => form(Key::ErrNotFound),
            AppError::BadRequest => form(Key::ErrBadRequest),
            AppError::Conflict(key) => form(*key),
            AppError::RateLimited { retry_after_secs } => Problems {
                retry_after_secs: Some(*retry_after_secs),
                ..form(Key::ErrTooManyAttempts)
            },
            AppError::Busy => form(Key::ErrBusy),
            AppError::ReauthRequired => Problems {
                reauth: true,
                ..form(Key::ErrReauthRequired)
            },
            // Without a reference (the answer was not this app's), the text asks for none.
            AppError::Internal { reference } if reference.is_empty() => form(Key::ErrInternalNoReference),
            AppError::Internal { reference } => Problems {
                reference: Some(reference.clone()),
                ..form(Key::ErrInternal)
            },
            AppError::Network => form(Key::ErrNetwork),
        }
    }

    /// The problems of a server function's last outcome (none after a success).
    pub fn of<T>(outcome: &Option<Result<T, AppError>>) -> Problems {
        match outcome {
            Some(Err(error)) => Problems::from_error(error),
            _ => Problems::default(),
        }
    }
}

/// The box at the top of a refused form: the form-wide error, then one link per field error
/// that moves focus to the field. It takes focus itself so screen readers announce it: through
/// `autofocus` when the page arrives with it, programmatically when it appears later.
#[component]
pub fn ErrorSummary(
    #[prop(into)] problems: Signal<Problems>,
    /// The form's own field labels, where they differ from the app-wide table (`field_label`):
    /// the links must read as the labels the user sees.
    #[prop(optional)]
    labels: Option<fn(&str) -> Option<Key>>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if !problems.with(Problems::is_empty) {
            // After this update's DOM changes are in.
            request_animation_frame(move || {
                if let Some(summary) = node.get_untracked() {
                    let _ = summary.focus();
                }
            });
        }
    });
    let lang = use_lang();
    let location = use_location();
    move || {
        let p = problems.get();
        if p.is_empty() {
            return None;
        }
        let retry = p.retry_after_secs.map(move |secs| {
            move || {
                format!(
                    "{} {secs} {}.",
                    Key::ErrRetryIn.text(lang.get()),
                    Key::Seconds.text(lang.get())
                )
            }
        });
        let sign_in = p.session_expired.then(|| {
            let here = location.pathname.get_untracked();
            let href = format!(
                "/login?next={}&notice=session-ended",
                crate::pages::encode_query_value(&here)
            );
            view! {
                " "
                // The typed values wait in the flash: no "unsaved changes" question.
                <a href=href rel="external" data-keeps-input="">
                    {tr(Key::SignInAgain)}
                </a>
            }
        });
        let reauth = p.reauth.then(|| {
            view! {
                " "
                <a href="#reauth" on:click=move |ev| focus_field(ev, "field-reauth_password")>
                    {tr(Key::ConfirmPasswordLink)}
                </a>
            }
        });
        Some(view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus node_ref=node>
                <h2 class="error-summary-title">{tr(Key::ErrorSummaryTitle)}</h2>
                {p
                    .form
                    .map(|e| {
                        view! {
                            <p class="error-summary-body">
                                {move || e.text(lang.get())} {retry.map(|r| view! { " " {r} })}
                                {p.reference.clone().map(|r| view! { " " <code>{r}</code> })} {sign_in} {reauth}
                            </p>
                        }
                    })}
                <ul class="error-summary-list">
                    {p
                        .fields
                        .into_iter()
                        .map(|(field, key)| {
                            let label = labels.and_then(|own| own(&field)).or_else(|| super::field::field_label(&field));
                            let id = format!("field-{field}");
                            let text = move || match label {
                                Some(label) => {
                                    let lang = lang.get();
                                    // French puts a (no-break) space before a colon.
                                    let colon = if lang == crate::i18n::Lang::Fr { "\u{a0}:" } else { ":" };
                                    format!("{}{colon} {}", label.text(lang), key.text(lang))
                                }
                                None => key.text(lang.get()).to_string(),
                            };
                            view! {
                                <li>
                                    <a href=format!("#{id}") on:click=move |ev| focus_field(ev, &id)>
                                        {text}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        })
    }
}

/// Moves focus to the field, as the browser does for a fragment link before hydration; the
/// router would otherwise treat the click as a navigation and leave focus on the link.
fn focus_field(ev: leptos::ev::MouseEvent, id: &str) {
    if let Some(field) = document().get_element_by_id(id) {
        ev.prevent_default();
        super::focus(field);
    }
}
