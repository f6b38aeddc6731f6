//! The WASM, JS and CSS that cargo-leptos builds into `<site root>/pkg`: found once at
//! start-up, served precompressed (the `.br` and `.gz` files `cargo leptos build --release
//! --precompress` writes next to them) under content-hashed names with a year-long immutable
//! cache; anything else under `/pkg` must be revalidated.

use app::assets::Assets;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue};
use std::path::Path;

/// Finds `vestibule[.hash].{js,wasm,css}` in `pkg_dir`; missing files keep the plain name (a
/// development build without hashes), so the page still links something sensible.
pub fn discover(pkg_dir: &Path, output_name: &str) -> Assets {
    let names: Vec<String> = std::fs::read_dir(pkg_dir)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    let find = |ext: &str| {
        let plain = format!("{output_name}.{ext}");
        let hashed = names
            .iter()
            .filter(|n| n.starts_with(&format!("{output_name}.")) && n.ends_with(&format!(".{ext}")))
            .filter(|n| n.len() > plain.len())
            .max_by_key(|n| n.len());
        format!("/pkg/{}", hashed.cloned().unwrap_or(plain))
    };
    Assets {
        js: find("js"),
        wasm: find("wasm"),
        css: find("css"),
    }
}

/// True for a name that carries its content hash (`vestibule.<hash>.<ext>`).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    name.split('.').count() >= 3
}

/// Cache headers for `/pkg/…`.
pub async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed(req.uri().path());
    let mut response = next.run(req).await;
    if response.status().is_success() || response.status() == http::StatusCode::NOT_MODIFIED {
        let value = if hashed {
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
    fn finds_hashed_names_and_falls_back_to_plain_ones() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "vestibule.AbC_12.js",
            "vestibule.AbC_12.js.br",
            "vestibule.Zz9.wasm",
            "vestibule.css",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let assets = discover(dir.path(), "vestibule");
        assert_eq!(assets.js, "/pkg/vestibule.AbC_12.js");
        assert_eq!(assets.wasm, "/pkg/vestibule.Zz9.wasm");
        assert_eq!(assets.css, "/pkg/vestibule.css");
        assert!(is_hashed("/pkg/vestibule.AbC_12.js"));
        assert!(!is_hashed("/pkg/vestibule.css"));
    }
}
