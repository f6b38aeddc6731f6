//! The browser entry point: hydrates the server-rendered page with the shared `app` crate.
// Leptos views are deeply nested types; type layout needs more than the default 128.
#![recursion_limit = "256"]

/// Each account tab is a lazily loaded WASM chunk (`#[lazy_route]`): hydration waits for the
/// visited tab's chunk (its preload was announced in the page's head), then marks the page
/// hydrated. `hydrate_lazy` would return before that; browser tests wait for the mark.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App)
            .await
            .forget();
        app::mark_hydrated();
    });
}
