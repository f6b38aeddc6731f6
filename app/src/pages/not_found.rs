use crate::context::{page_title, tr};
use crate::i18n::Key;
use leptos::prelude::*;
use leptos_meta::Title;

/// A real 404: the server answers with status 404, not a 200 page that says "not found".
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=page_title(Key::NotFoundTitle) />
        <main id="main" class="narrow-page">
            <h1>{tr(Key::NotFoundTitle)}</h1>
            <p>{tr(Key::NotFoundBody)}</p>
            <p>
                <a class="button button-primary" href="/account">{tr(Key::BackToAccount)}</a>
            </p>
        </main>
    }
}
