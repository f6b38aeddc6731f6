//! The browser entry point: hydrates the server-rendered page with the shared `app` crate.
// Leptos views are deeply nested types; type layout needs more than the default 128.
#![recursion_limit = "256"]

/// Each account tab is a lazily loaded WASM chunk (`#[lazy_route]`): hydration waits for the
/// visited tab's chunk (its preload was announced in the page's head), then marks the page
/// hydrated. `hydrate_lazy` would return before that; browser tests wait for the mark.
///
/// A panic stops the app for good (`panic = "abort"`): the page's script is told, and the page
/// goes on working as it does without JavaScript (`app::browser::app_stopped`). The one panic
/// to expect is a tab's chunk that cannot be fetched (a dropped connection, or a server
/// upgraded since the page loaded, whose old chunks are gone): Leptos 0.8.23's chunk loader
/// cannot report it any other way.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        app::browser::app_stopped();
    }));
    wasm_bindgen_futures::spawn_local(async {
        leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App)
            .await
            .forget();
        app::mark_hydrated();
    });
}
