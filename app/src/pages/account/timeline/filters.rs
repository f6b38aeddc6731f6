use crate::context::{tr, use_lang};
use crate::events::Category;
use crate::i18n::Key;
use crate::model::TimelineFilters;
use leptos::prelude::*;
use leptos_router::components::Form;

/// The router adds the submit button to a GET form's query under an empty name (a stray
/// "&=" in the URL); this drops it before the URL is made.
fn drop_unnamed_fields() -> std::sync::Arc<dyn Fn(&leptos::web_sys::FormData)> {
    std::sync::Arc::new(|data: &leptos::web_sys::FormData| data.delete(""))
}

/// Category and period. A GET form: without JavaScript the browser loads the filtered URL,
/// with it the router navigates there without a reload. Refused values are flagged on their
/// fields by the same validator the server uses.
#[component]
pub fn FilterForm(filters: TimelineFilters, #[prop(into)] busy: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let errors = crate::validate::timeline(&filters.category, &filters.from, &filters.to, "", "")
        .err()
        .unwrap_or_default();
    let error_of = move |field: &str| errors.iter().find(|e| e.field == field).map(|e| e.key);
    let (from_error, to_error, category_error) = (error_of("from"), error_of("to"), error_of("category"));
    let date_field = move |name: &'static str, label: Key, value: String, error: Option<Key>| {
        let id = format!("field-{name}");
        view! {
            <div class="field" class:field-invalid=error.is_some()>
                <label for=id.clone()>{tr(label)}</label>
                <input
                    type="date"
                    id=id
                    name=name
                    value=value
                    aria-invalid=error.map(|_| "true")
                    aria-describedby=error.map(|_| format!("field-{name}-error"))
                />
                {error
                    .map(|e| {
                        view! {
                            <p class="field-error" id=format!("field-{name}-error")>
                                <span class="field-error-icon" aria-hidden="true">"!"</span>
                                {tr(e)}
                            </p>
                        }
                    })}
            </div>
        }
    };
    view! {
        <Form
            method="GET"
            action="/account/timeline"
            attr:class="filters"
            on_form_data=drop_unnamed_fields()
        >
            <div class="field" class:field-invalid=category_error.is_some()>
                <label for="field-category">{tr(Key::CategoryLabel)}</label>
                <select id="field-category" name="category">
                    <option value="" selected=filters.category.is_empty()>
                        {tr(Key::CategoryAll)}
                    </option>
                    {Category::FILTERS
                        .into_iter()
                        .map(|c| {
                            view! {
                                <option value=c.slug() selected=filters.category == c.slug()>
                                    {move || c.label().text(lang.get())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            {date_field("from", Key::PeriodFrom, filters.from.clone(), from_error)}
            {date_field("to", Key::PeriodTo, filters.to.clone(), to_error)}
            <div class="filters-actions">
                <crate::components::SubmitButton
                    label=Key::ApplyFilters
                    busy_label=Key::ApplyingFilters
                    busy
                    id="apply-filters"
                />
                <a href="/account/timeline">{tr(Key::ClearFilters)}</a>
            </div>
        </Form>
    }
}
