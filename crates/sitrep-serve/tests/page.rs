//! The analyst page: served at `/` with its embedded assets, each with the right type
//! and the security headers, and a cheap guard on how the script builds its DOM.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use sitrep_serve::{router, AppState, ServeConfig};
use sitrep_store::SqliteStore;
use tower::ServiceExt;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'";

/// An empty store is enough: the page's routes never read it.
fn app(name: &str) -> Router {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("sitrep-serve-page-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("sitrep.db");
    drop(SqliteStore::open(&db).unwrap());
    router(AppState::open(&ServeConfig::new(&db)).expect("the store opens"))
}

async fn get(app: &Router, uri: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let request = Request::get(uri).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, body.to_vec())
}

fn header(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(&name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header"))
}

fn assert_guarded(uri: &str, headers: &HeaderMap) {
    assert_eq!(
        header(headers, header::CONTENT_SECURITY_POLICY),
        CSP,
        "{uri}"
    );
    assert_eq!(
        header(headers, header::X_CONTENT_TYPE_OPTIONS),
        "nosniff",
        "{uri}"
    );
}

/// Every `src="…"` and `href="…"` value in `html`.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["src=\"", "href=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').expect("a closed attribute");
            found.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    found
}

fn expected_type(path: &str) -> &'static str {
    match Path::new(path).extension().and_then(|e| e.to_str()) {
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        other => panic!("{path}: no expected type for {other:?}"),
    }
}

#[tokio::test]
async fn the_page_is_html_with_a_strict_policy() {
    let app = app("index");
    let (status, headers, body) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        header(&headers, header::CONTENT_TYPE),
        "text/html; charset=utf-8"
    );
    assert_guarded("/", &headers);
    let html = String::from_utf8(body).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    // The policy forbids inline script and style; the page must not need them.
    assert!(!html.contains("<script>"), "an inline script");
    assert!(!html.contains("style=\""), "an inline style");
    assert!(!html.contains("<style"), "an inline style sheet");
    for reference in references(&html) {
        assert!(
            reference.starts_with("/assets/"),
            "{reference}: the page must load only its own assets"
        );
    }
}

#[tokio::test]
async fn every_asset_the_page_uses_is_served_with_its_type() {
    let app = app("assets");
    let (_, _, body) = get(&app, "/").await;
    let html = String::from_utf8(body).unwrap();
    let mut uris = references(&html);
    // The script fetches the map itself.
    uris.push("/assets/vendor/countries-110m.json".to_owned());
    assert!(uris.iter().any(|u| u == "/assets/app.js"));
    assert!(uris.iter().any(|u| u == "/assets/style.css"));
    for uri in &uris {
        let (status, headers, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(
            header(&headers, header::CONTENT_TYPE).starts_with(expected_type(uri)),
            "{uri}: {}",
            header(&headers, header::CONTENT_TYPE)
        );
        assert_guarded(uri, &headers);
        assert!(!body.is_empty(), "{uri}");
    }
    let (_, _, app_js) = get(&app, "/assets/app.js").await;
    let app_js = String::from_utf8(app_js).unwrap();
    assert!(app_js.contains("/assets/vendor/countries-110m.json"));
}

#[tokio::test]
async fn unknown_assets_are_problems() {
    let app = app("missing");
    for uri in [
        "/assets/nothing.js",
        "/assets/vendor/README.md",
        "/assets/../Cargo.toml",
    ] {
        let (status, headers, _) = get(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(
            header(&headers, header::CONTENT_TYPE),
            "application/problem+json",
            "{uri}"
        );
    }
}

/// A cheap guard, not a proof: the script must build its DOM from text nodes, so none
/// of the HTML-parsing sinks may appear in it.
#[test]
fn the_script_never_parses_html() {
    let app_js = include_str!("../assets/app.js");
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "createContextualFragment",
        "DOMParser",
        "eval(",
        "new Function",
    ] {
        assert!(!app_js.contains(sink), "app.js uses {sink}");
    }
}
