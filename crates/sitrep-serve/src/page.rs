//! The analyst page: `GET /` and `GET /assets/{*path}`, files embedded in the binary so
//! that the page works offline, with no CDN and no build step.
//!
//! The page only reads the JSON API; it builds its DOM with `textContent` and
//! `createElement`, never from HTML strings, and every answer here carries a strict
//! Content-Security-Policy, so article text cannot run as script even if some code
//! mistakenly treated it as markup.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::problem::ApiError;

/// The policy of the page and its assets: only our own scripts, styles and API.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'";

/// One embedded file under `/assets/`.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const INDEX_HTML: &str = include_str!("../assets/index.html");

const ASSETS: &[Asset] = &[
    Asset {
        path: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/app.js"),
    },
    Asset {
        path: "style.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../assets/style.css"),
    },
    Asset {
        path: "vendor/d3-array.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/vendor/d3-array.min.js"),
    },
    Asset {
        path: "vendor/d3-geo.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/vendor/d3-geo.min.js"),
    },
    Asset {
        path: "vendor/topojson-client.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/vendor/topojson-client.min.js"),
    },
    Asset {
        path: "vendor/countries-110m.json",
        content_type: "application/json",
        body: include_bytes!("../assets/vendor/countries-110m.json"),
    },
];

/// The page's routes, to be merged into the API's router.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(index))
        .route("/assets/{*path}", get(asset))
        .route("/favicon.ico", get(no_icon))
}

/// Browsers ask every site for an icon on their own; the page has none to give, and
/// says so without an error (a 404 would show in the browser's console).
async fn no_icon() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// The headers every page answer carries.
fn guarded(content_type: &'static str, body: &'static [u8]) -> Response {
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        // Article links leave the page; they need not say where from.
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        // The files change with the binary, which nothing versions in the URL.
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ];
    (headers, body).into_response()
}

async fn index() -> Response {
    guarded("text/html; charset=utf-8", INDEX_HTML.as_bytes())
}

async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.path == path) {
        Some(a) => guarded(a.content_type, a.body),
        None => ApiError::not_found(format!("no asset at /assets/{path}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_path_is_unique_and_typed_by_its_extension() {
        for (i, a) in ASSETS.iter().enumerate() {
            assert!(ASSETS[..i].iter().all(|b| b.path != a.path), "{}", a.path);
            let expected = match a.path.rsplit('.').next() {
                Some("js") => "text/javascript",
                Some("css") => "text/css",
                Some("json") => "application/json",
                other => panic!("no type for {other:?}"),
            };
            assert!(a.content_type.starts_with(expected), "{}", a.path);
            assert!(!a.body.is_empty(), "{}", a.path);
        }
    }
}
