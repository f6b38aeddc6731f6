//! The WASM, JS and CSS that cargo-leptos builds into `<site root>/pkg`: found once at
//! start-up and served precompressed (the `.br` and `.gz` files `--precompress` writes next to
//! them).
//!
//! Every file is served under `/pkg/<build id>/`, the id a digest of the build's entry files,
//! with a year-long immutable cache. The names cargo-leptos 0.3.7 hashes cannot carry that
//! alone: it hashes the main JS and WASM and the split manifest *before* it rewrites the
//! loader's name into them, so a name can stay while its content changes. The JS imports the
//! loader and the loader fetches chunks by relative URL, so they resolve inside the prefix.
//! Anything asked for under plain `/pkg/` is served too, but must be revalidated.

use app::assets::{Assets, SplitManifest};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Finds `vestibule[.hash].{js,wasm,css}`, the split loader and manifest in `pkg_dir`.
/// Missing files keep the plain name (a development build without hashes), so the page still
/// links something sensible.
pub fn discover(pkg_dir: &Path, output_name: &str) -> Assets {
    let names: Vec<String> = std::fs::read_dir(pkg_dir)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    let pick = |prefix: &str, ext: &str| {
        names
            .iter()
            .filter(|n| n.starts_with(&format!("{prefix}.")) && n.ends_with(&format!(".{ext}")))
            .max_by_key(|n| n.len())
            .cloned()
    };
    let entry = |ext: &str| pick(output_name, ext).unwrap_or_else(|| format!("{output_name}.{ext}"));
    let (js, wasm, css) = (entry("js"), entry("wasm"), entry("css"));
    let loader = pick("__wasm_split", "js");
    let manifest = pick("__wasm_split_manifest", "json");
    let id = build_id(
        pkg_dir,
        [Some(&js), Some(&wasm), Some(&css), loader.as_ref(), manifest.as_ref()],
    );
    let root = format!("/pkg/{id}");
    let split = match (loader, manifest) {
        (Some(loader), Some(manifest)) => read_manifest(pkg_dir, &manifest, &names).map(|preloads| SplitManifest {
            root: root.clone(),
            preloads,
            loader,
        }),
        _ => None,
    };
    Assets {
        js: format!("{root}/{js}"),
        wasm: format!("{root}/{wasm}"),
        css: format!("{root}/{css}"),
        split,
    }
}

/// The manifest, without entries naming a file that is not there (cargo-leptos 0.3.7 can
/// mangle a chunk's name when one name is a prefix of another): such a preload would only 404.
fn read_manifest(pkg_dir: &Path, manifest: &str, names: &[String]) -> Option<HashMap<String, Vec<String>>> {
    let text = std::fs::read_to_string(pkg_dir.join(manifest)).ok()?;
    let mut preloads: HashMap<String, Vec<String>> = match serde_json::from_str(&text) {
        Ok(map) => map,
        Err(e) => {
            tracing::warn!(error = %e, manifest, "the WASM split manifest cannot be read: no chunk preloads");
            return None;
        }
    };
    for (split, files) in preloads.iter_mut() {
        files.retain(|file| {
            let present = names.iter().any(|n| n == &format!("{file}.wasm"));
            if !present {
                tracing::warn!(split, file, "the split manifest names a chunk that is not there");
            }
            present
        });
    }
    Some(preloads)
}

/// A digest of the entry files' names and contents: a new build, a new URL prefix.
fn build_id<'a>(pkg_dir: &Path, files: impl IntoIterator<Item = Option<&'a String>>) -> String {
    let mut digest = Sha256::new();
    for name in files.into_iter().flatten() {
        digest.update(name.as_bytes());
        digest.update(std::fs::read(pkg_dir.join(name)).unwrap_or_default());
    }
    hex::encode(digest.finalize())[..16].to_string()
}

/// The versioned prefix's id, for the cache headers.
#[derive(Clone)]
pub struct BuildPrefix(pub Arc<str>);

impl BuildPrefix {
    pub fn of(assets: &Assets) -> BuildPrefix {
        let root = assets.js.rsplit_once('/').map(|(root, _)| root).unwrap_or("/pkg");
        let id = root.strip_prefix("/pkg/").unwrap_or("");
        BuildPrefix(Arc::from(format!("/{id}/")))
    }
}

/// Cache headers for `/pkg/…` (the path as seen inside `/pkg`).
pub async fn cache_headers(State(prefix): State<BuildPrefix>, req: Request, next: Next) -> Response {
    let versioned = prefix.0.len() > 2 && req.uri().path().starts_with(&*prefix.0);
    let mut response = next.run(req).await;
    if response.status().is_success() || response.status() == http::StatusCode::NOT_MODIFIED {
        let value = if versioned {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_entry_files_and_the_split_under_a_prefix_that_follows_their_content() {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in [
            ("vestibule.AbC_12.js", "js"),
            ("vestibule.AbC_12.js.br", "x"),
            ("vestibule.Zz9.wasm", "wasm"),
            ("vestibule.css", "css"),
            ("__wasm_split.Qq1.js", "loader"),
            ("split_tab_1.Hh.wasm", "chunk"),
            (
                "__wasm_split_manifest.Mm.json",
                r#"{"tab":["split_tab_1.Hh","chunk_9.Gone"]}"#,
            ),
        ] {
            std::fs::write(dir.path().join(name), content).unwrap();
        }
        let assets = discover(dir.path(), "vestibule");
        let root = assets.js.strip_suffix("/vestibule.AbC_12.js").unwrap().to_string();
        assert!(root.starts_with("/pkg/") && root.len() == "/pkg/".len() + 16, "{root}");
        assert_eq!(assets.wasm, format!("{root}/vestibule.Zz9.wasm"));
        assert_eq!(assets.css, format!("{root}/vestibule.css"));
        let split = assets.split.clone().unwrap();
        assert_eq!(split.root, root);
        assert_eq!(split.loader, "__wasm_split.Qq1.js");
        assert_eq!(
            split.preloads["tab"],
            vec!["split_tab_1.Hh".to_string()],
            "a missing chunk is dropped"
        );
        assert_eq!(
            BuildPrefix::of(&assets).0.as_ref(),
            format!("{}/", root.trim_start_matches("/pkg"))
        );

        // The same names with another content: another prefix.
        std::fs::write(dir.path().join("vestibule.Zz9.wasm"), "other wasm").unwrap();
        let rebuilt = discover(dir.path(), "vestibule");
        assert_ne!(rebuilt.js, assets.js);
    }
}
