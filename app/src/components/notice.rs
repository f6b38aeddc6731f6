use leptos::prelude::*;

/// How many forms the page has submitted (with JavaScript; counted by
/// `browser::count_form_submissions`). A confirmation belongs to the last thing the user did:
/// once another form is submitted, older confirmations step aside.
#[derive(Clone, Copy, Debug)]
pub struct FormsSubmitted(pub RwSignal<u64>);

/// A short confirmation after a successful action ("Saved."), announced politely. The region
/// is always in the page so screen readers notice when text appears in it. `id` lets an action
/// send focus to it (`focus_on_success`). It empties when another form is submitted later, so
/// "Nothing to save" does not linger next to what the user did since.
#[component]
pub fn StatusNotice(
    #[prop(into)] text: Signal<Option<String>>,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    let submitted = use_context::<FormsSubmitted>().map(|f| f.0);
    let count = move || submitted.map_or(0, |s| s.get());
    // The submission count when a message last arrived. A message that is only translated
    // again (the language changed, the text was already there) is not a new one: a hidden
    // confirmation stays hidden.
    let since = RwSignal::new(submitted.map_or(0, |s| s.get_untracked()));
    let lang = crate::context::use_lang();
    Effect::new(move |before: Option<(bool, crate::i18n::Lang)>| {
        let had_text = text.with(Option::is_some);
        let now_lang = lang.get_untracked();
        let retranslated = before.is_some_and(|(had, was)| had && had_text && was != now_lang);
        if !retranslated {
            since.set(submitted.map_or(0, |s| s.get_untracked()));
        }
        (had_text, now_lang)
    });
    let shown = move || text.get().filter(|_| count() == since.get());
    view! {
        <p id=id class="status-notice" role="status" class:status-notice-empty=move || shown().is_none()>
            {shown}
        </p>
    }
}
