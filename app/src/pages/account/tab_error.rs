use crate::components::{ErrorSummary, Problems};
use crate::context::{page_title, tr};
use crate::error::AppError;
use crate::i18n::Key;
use leptos::prelude::*;
use leptos_meta::Title;

/// A tab whose data could not be loaded: what happened and what to do (sign in again after
/// the session ended, quote the reference after an internal error).
#[component]
pub fn TabError(error: AppError) -> impl IntoView {
    view! { <ErrorSummary problems=Signal::stored(Problems::from_error(&error)) /> }
}

/// A tab that loads one thing, then shows its sections: the page title, a loading status while
/// the data comes, then the sections, or what went wrong. Called from inside each tab's lazily
/// loaded view, so the data's types and their JSON readers go into the tab's chunk.
pub fn loaded_tab<T, F, Fut>(title: Key, load: F, sections: fn(T) -> AnyView) -> AnyView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let data = Resource::new(|| (), move |_| load());
    view! {
        <Title text=page_title(title) />
        <Suspense fallback=|| view! { <p class="loading" role="status">{tr(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(loaded) => sections(loaded),
                    Err(error) => view! { <TabError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
