//! The built WASM, JS and CSS (server-only). The host finds them once at start-up, under a
//! URL prefix that changes with their content; the shell links them and starts hydration.

use leptos::prelude::*;
use std::collections::HashMap;

/// The lazily loaded chunks `cargo leptos build --split` wrote: for each lazy route or
/// function, the files it needs (`__wasm_split_manifest.json`), and the loader script.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SplitManifest {
    /// The URL path the chunks are under, e.g. `/pkg/3f2a…`.
    pub root: String,
    pub preloads: HashMap<String, Vec<String>>,
    /// The loader's file name (`__wasm_split.<hash>.js`).
    pub loader: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assets {
    /// URL paths, e.g. `/pkg/3f2a…/vestibule.Xo3v….js`.
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// `None` for a build without `--split`.
    pub split: Option<SplitManifest>,
}

/// The stylesheet, the preloads and the module script that hydrates the page. Leptos'
/// `HydrationScripts` would read the hash file beside the executable on every render; these
/// names are resolved once. The host provides the split manifest in every render's context, so
/// the render also announces the chunks of the lazy route it rendered (`<link rel="preload">`
/// in the head): a direct visit to a tab fetches its chunk alongside the main WASM.
#[component]
pub fn AssetLinks(assets: std::sync::Arc<Assets>) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    // Hydration waits for the server's HTML to be painted (the frame after the next one, or
    // 200 ms in a background tab, where frames do not come): with the WASM already cached, or
    // on a fast network, it would otherwise run before the first paint and hold it back by the
    // length of a long task on a slow laptop. The WASM is compiled and instantiated meanwhile.
    let script = format!(
        "const painted=new Promise(r=>{{requestAnimationFrame(()=>setTimeout(r));setTimeout(r,200)}});\
         import({js:?}).then(m=>Promise.all([m.default({{module_or_path:{wasm:?}}}),painted]).then(()=>m.hydrate()));",
        js = assets.js,
        wasm = assets.wasm
    );
    view! {
        <link rel="stylesheet" href=assets.css.clone() />
        <link rel="modulepreload" href=assets.js.clone() />
        <link rel="preload" href=assets.wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin="anonymous" />
        <script type="module" nonce=nonce>
            {script}
        </script>
    }
}
