//! Errors as RFC 7807 problem details: `application/problem+json` bodies
//! `{type, title, status, detail}`, one shape for every error the API gives.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sitrep_store::StoreError;
use utoipa::ToSchema;

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 7807 problem: what went wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:sitrep:problem:bad-parameter`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem (the same for every occurrence).
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, in words.
    pub detail: String,
}

/// An error a handler answers with: a status, a problem kind and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The last part of the problem's type URI (`bad-parameter`, `not-found`, …).
    pub kind: &'static str,
    /// The problem's detail.
    pub detail: String,
}

impl ApiError {
    /// A problem of `kind` with `status` and `detail`.
    pub fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            detail: detail.into(),
        }
    }

    /// 400: a query parameter, path segment or body the API cannot use.
    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    /// 404: nothing at this id.
    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    /// 500: the server failed; `detail` is logged, the client sees a generic message.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %detail, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed to answer; the error is in its log",
        )
    }

    /// The problem details of this error.
    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("urn:sitrep:problem:{}", self.kind),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
        }
    }
}

impl From<StoreError> for ApiError {
    /// A query the caller got wrong (a bad cursor, a bad FTS5 expression) is 400; the
    /// rest is the server's failure, 500.
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::BadQuery { reason } => {
                ApiError::new(StatusCode::BAD_REQUEST, "bad-query", reason)
            }
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = match serde_json::to_vec(&self.problem()) {
            Ok(body) => (self.status, body).into_response(),
            Err(_) => self.status.into_response(),
        };
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"sitrep\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_client_or_server_problems() {
        let bad: ApiError = StoreError::BadQuery {
            reason: "the cursor \"x\" is not one this store gave".into(),
        }
        .into();
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.detail.contains("cursor"));
        let broken: ApiError = StoreError::TooNew {
            path: "a.db".into(),
            found: 9,
            known: 2,
        }
        .into();
        assert_eq!(broken.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            !broken.detail.contains("a.db"),
            "no internals to the client"
        );
        let problem = bad.problem();
        assert_eq!(problem.kind, "urn:sitrep:problem:bad-query");
        assert_eq!(
            (problem.status, problem.title.as_str()),
            (400, "Bad Request")
        );
    }
}
