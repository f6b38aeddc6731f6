//! The built WASM, JS and CSS, under names that change with their content (server-only).
//! The host finds them once at start-up; the shell links them and starts hydration.

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assets {
    /// URL paths, e.g. `/pkg/vestibule.Xo3v….js`.
    pub js: String,
    pub wasm: String,
    pub css: String,
}

/// The stylesheet, the preloads and the module script that hydrates the page. Leptos'
/// `HydrationScripts` would read the hash file beside the executable on every render; these
/// names are resolved once.
#[component]
pub fn AssetLinks(assets: Assets) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let script = format!(
        "import({js:?}).then(m=>m.default({{module_or_path:{wasm:?}}}).then(()=>m.hydrate()));",
        js = assets.js,
        wasm = assets.wasm
    );
    view! {
        <link rel="stylesheet" href=assets.css />
        <link rel="modulepreload" href=assets.js.clone() />
        <link rel="preload" href=assets.wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin="anonymous" />
        <script type="module" nonce=nonce>
            {script}
        </script>
    }
}
