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

impl SplitManifest {
    /// The chunk files the lazy route `route` needs (see [`route_split`]).
    fn files_of(&self, route: &str) -> Option<&[String]> {
        let prefix = format!("__{route}_route_view_");
        self.preloads
            .iter()
            .find(|(name, _)| name.starts_with(&prefix))
            .map(|(_, files)| files.as_slice())
    }
}

/// The lazy route the page at `path` renders, as `#[lazy_route]` names its split in the
/// manifest (`KeysRoute` → `__keys_route_view_<hash>`). Mirrors the routes of `crate::App`.
pub fn route_split(path: &str) -> Option<&'static str> {
    let path = match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => path,
    };
    Some(match path {
        "/login" => "login",
        "/login/code" => "login_code",
        "/signup" => "signup",
        "/signup/confirm" => "signup_confirm",
        "/password/forgot" => "forgot_password",
        "/password/reset" => "reset_password",
        "/email/confirm" => "email_confirm",
        "/email/report" => "email_report",
        "/security/report" => "security_report",
        "/account" => "basic",
        "/account/authorization" => "auth",
        "/account/keys" => "keys",
        "/account/tokens" => "tokens",
        "/account/integrations" => "integrations",
        "/account/hds" => "hds",
        "/account/referrals" => "referrals",
        "/account/billing" => "billing",
        "/account/billing/card" => "card",
        "/account/timeline" => "timeline",
        legal if legal.starts_with("/legal/") && legal.split('/').count() <= 4 => "legal",
        _ => return None,
    })
}

/// The URLs of the chunks the page at the request's path needs, and of the split loader.
fn chunk_preloads(split: &SplitManifest) -> (Vec<String>, Option<String>) {
    let path = use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_string());
    let Some(files) = path
        .as_deref()
        .and_then(route_split)
        .and_then(|route| split.files_of(route))
    else {
        return (Vec::new(), None);
    };
    let chunks = files.iter().map(|file| format!("{}/{file}.wasm", split.root)).collect();
    (chunks, Some(format!("{}/{}", split.root, split.loader)))
}

/// The stylesheet, the preloads and the module script that hydrates the page. Leptos'
/// `HydrationScripts` would read the hash file beside the executable on every render; these
/// names are resolved once. The chunks of the page's lazy route are preloaded too (by the
/// script, once the page is painted), so a direct visit to a tab fetches them alongside the
/// main WASM.
/// From the path, not from what the render registered: leptos_integration_utils 0.8.9 writes
/// those links after the render, outside its reactive owner, so they went to whichever render
/// was current on the thread (none: no preloads; another page's: twice theirs).
#[component]
pub fn AssetLinks(assets: std::sync::Arc<Assets>) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let (chunks, loader) = assets.split.as_ref().map(chunk_preloads).unwrap_or_default();
    // Hydration waits for the server's HTML to be painted (the frame after the next one, or
    // 200 ms in a background tab, where frames do not come): with the WASM already cached, or
    // on a fast network, it would otherwise run before the first paint and hold it back by the
    // length of a long task on a slow laptop. The WASM is compiled and instantiated meanwhile.
    // The route's chunks are preloaded from the first paint on, not from the head: a tab needs
    // 50–130 of them, which in the head compete with the page's own HTML and CSS for a slow
    // link (and Lighthouse's simulation then counts every one before the first paint); they
    // still arrive alongside the main WASM, before hydration asks for them.
    // Once the app has stopped (`browser::app_stopped`), links, forms and the back button are
    // the browser's again, caught before the app's own listeners, and the link clicked in the
    // last 10 s (same origin, plain left click) is followed: its tab's chunk is what failed.
    let chunks = serde_json::to_string(&chunks).unwrap_or_else(|_| "[]".to_string());
    let script = format!(
        "let clicked=null;const stopped=()=>window.vestibuleStopped===true;\
         addEventListener('click',e=>{{if(stopped()){{e.stopImmediatePropagation();return}}\
         const a=e.target instanceof Element&&e.target.closest('a[href]');\
         if(a&&!a.target&&!a.hasAttribute('download')&&a.origin===location.origin&&e.button===0\
         &&!e.ctrlKey&&!e.metaKey&&!e.shiftKey&&!e.altKey)clicked={{href:a.href,at:Date.now()}}}},true);\
         addEventListener('submit',e=>{{if(stopped())e.stopImmediatePropagation()}},true);\
         addEventListener('popstate',e=>{{if(stopped()){{e.stopImmediatePropagation();location.reload()}}}},true);\
         window.vestibuleAppStopped=()=>{{window.vestibuleStopped=true;\
         if(clicked&&Date.now()-clicked.at<10000)location.assign(clicked.href)}};\
         const painted=new Promise(r=>{{requestAnimationFrame(()=>setTimeout(r));setTimeout(r,200)}});\
         const chunks={chunks};\
         painted.then(()=>{{for(const href of chunks){{const l=document.createElement('link');\
         l.rel='preload';l.as='fetch';l.type='application/wasm';l.crossOrigin='anonymous';l.href=href;\
         document.head.append(l)}}}});\
         import({js:?}).then(m=>Promise.all([m.default({{module_or_path:{wasm:?}}}),painted]).then(()=>m.hydrate()));",
        js = assets.js,
        wasm = assets.wasm
    );
    view! {
        <link rel="stylesheet" href=assets.css.clone() />
        <link rel="modulepreload" href=assets.js.clone() />
        <link rel="preload" href=assets.wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin="anonymous" />
        {loader.map(|href| view! { <link rel="modulepreload" href=href /> })}
        <script type="module" nonce=nonce>
            {script}
        </script>
    }
}

#[cfg(test)]
mod tests {
    use super::route_split;
    use crate::tabs::AccountTab;

    #[test]
    fn every_built_tab_and_page_names_its_lazy_route() {
        for tab in AccountTab::ALL.into_iter().filter(|t| t.is_available()) {
            assert!(route_split(&tab.path()).is_some(), "{tab:?}");
            assert!(
                route_split(&format!("{}/", tab.path())).is_some(),
                "{tab:?} with a slash"
            );
        }
        assert_eq!(route_split("/account/keys"), Some("keys"));
        assert_eq!(route_split("/login"), Some("login"));
        assert_eq!(route_split("/legal/terms/2"), Some("legal"));
        assert_eq!(route_split("/account/nothing"), None);
        assert_eq!(route_split("/legal/terms/2/x"), None);
    }
}
