//! The browser entry point: hydrates the server-rendered page with the shared `app` crate.
// Leptos views are deeply nested types; type layout needs more than the default 128.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    app::mark_hydrated();
}
