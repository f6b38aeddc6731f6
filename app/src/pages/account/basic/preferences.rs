use crate::api::prefs::SavePreferences;
use crate::components::{apply_saved_prefs, theme_label, ErrorSummary, Problems, StatusNotice, SubmitButton};
use crate::context::{tr, use_lang, use_ui};
use crate::flash::{flash_for, form_outcome};
use crate::i18n::{Key, Lang};
use crate::model::AccountPrefs;
use crate::prefs::Theme;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Marks posts from this form, so a confirmation is not shown here after a switch in the
/// account menu (both post to the same server function).
const SOURCE: &str = "preferences";

#[component]
pub fn PreferencesSection(
    prefs: AccountPrefs,
    on_time_zone_change: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let action = ServerAction::<SavePreferences>::new();
    apply_saved_prefs(action);
    let ui = use_ui();
    let lang = use_lang();
    let from_here = flash_for(SavePreferences::PATH).is_some_and(|f| f.value("source").as_deref() == Some(SOURCE));
    let flashed = form_outcome(action);
    let outcome = Signal::derive(move || {
        action
            .value()
            .get()
            .or_else(|| if from_here { flashed.get() } else { None })
    });

    let time_zone = RwSignal::new(prefs.time_zone.clone());
    Effect::new(move |_| {
        if let Some(Ok(saved)) = action.value().get() {
            if let Some(zone) = saved.time_zone {
                if zone != time_zone.get_untracked() {
                    time_zone.set(zone);
                    on_time_zone_change();
                }
            }
        }
    });
    let notice = Signal::derive(move || {
        matches!(outcome.get(), Some(Ok(_))).then(|| Key::PreferencesSaved.text(lang.get()).to_string())
    });
    let select = NodeRef::<leptos::html::Select>::new();
    view! {
        <section class="card" id="preferences" aria-labelledby="preferences-heading">
            <h2 id="preferences-heading">{tr(Key::PreferencesSection)}</h2>
            <p class="card-intro">{tr(Key::PreferencesIntro)}</p>
            <ErrorSummary problems=Signal::derive(move || Problems::of(&outcome.get())) />
            <ActionForm action>
                <input type="hidden" name="source" value=SOURCE />
                <fieldset class="field choices" id="field-theme">
                    <legend>{tr(Key::Theme)}</legend>
                    {Theme::ALL
                        .into_iter()
                        .map(|theme| {
                            let id = format!("theme-{}", theme.code());
                            view! {
                                <div class="choice">
                                    <input
                                        type="radio"
                                        id=id.clone()
                                        name="theme"
                                        value=theme.code()
                                        checked=prefs.theme == theme
                                        prop:checked=move || ui.prefs.with(|p| p.theme == theme)
                                    />
                                    <label for=id>{tr(theme_label(theme))}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <fieldset class="field choices" id="field-lang">
                    <legend>{tr(Key::Language)}</legend>
                    {Lang::ALL
                        .into_iter()
                        .map(|choice| {
                            let id = format!("lang-{}", choice.code());
                            view! {
                                <div class="choice">
                                    <input
                                        type="radio"
                                        id=id.clone()
                                        name="lang"
                                        value=choice.code()
                                        checked=prefs.lang == choice
                                        prop:checked=move || ui.prefs.with(|p| p.lang == choice)
                                    />
                                    <label for=id lang=choice.code()>
                                        {choice.native_name()}
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="field">
                    <label for="field-time_zone">{tr(Key::TimeZoneLabel)}</label>
                    <p class="field-help" id="field-time_zone-help">{tr(Key::TimeZoneHelp)}</p>
                    <select
                        id="field-time_zone"
                        name="time_zone"
                        node_ref=select
                        aria-describedby="field-time_zone-help"
                    >
                        {crate::time_zones::choices(&prefs.time_zone)
                            .into_iter()
                            .map(|zone| {
                                let selected = zone == prefs.time_zone;
                                let (value, label) = (zone.to_string(), zone.to_string());
                                view! { <option value=value selected=selected>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                    <BrowserTimeZoneHint saved=time_zone select />
                </div>
                <div class="form-actions">
                    <SubmitButton label=Key::SavePreferences busy_label=Key::Saving busy=action.pending() />
                    <StatusNotice text=notice />
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// With JavaScript: when the browser's time zone differs from the saved one, offer it.
#[component]
fn BrowserTimeZoneHint(saved: RwSignal<String>, select: NodeRef<leptos::html::Select>) -> impl IntoView {
    let browser = RwSignal::new(None::<String>);
    // Only after hydration, so the server's HTML and the first browser render agree.
    Effect::new(move |_| browser.set(crate::browser::time_zone()));
    let offer = move || {
        browser
            .get()
            .filter(|zone| *zone != saved.get() && crate::time_zones::TIME_ZONES.contains(&zone.as_str()))
    };
    move || {
        offer().map(|zone| {
            let chosen = zone.clone();
            view! {
                <p class="field-help">
                    {tr(Key::BrowserTimeZone)} " " <strong>{zone}</strong> ". "
                    <button
                        type="button"
                        class="link-button"
                        on:click=move |_| {
                            if let Some(select) = select.get() {
                                select.set_value(&chosen);
                            }
                        }
                    >
                        {tr(Key::UseIt)}
                    </button>
                </p>
            }
        })
    }
}
