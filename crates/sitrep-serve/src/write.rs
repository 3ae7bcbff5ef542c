//! `POST /api/v1/documents`: documents in, extracted and stored, outcomes out.
//!
//! Only with a write token configured, and only with `Authorization: Bearer TOKEN`.
//! The body is read like a `.json` input of `sitrep extract` (one object or an array of
//! them, the fields of a JSON Lines line), so the same text gives the same record
//! whichever way it came in. Text the store already has skips the engine, as in
//! `sitrep ingest`; the rest is extracted with fault isolation, and the records are
//! written in one transaction.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde_json::Value;
use sitrep_core::Record;
use sitrep_read::ReadOptions;
use sitrep_store::{PutOutcome, SqliteStore, Store};

use crate::problem::{ApiError, Problem};
use crate::state::{lock, AppState, Writer};
use crate::types::{DocumentsInput, PostOutcome, PostResponse};

/// The name posted documents are read under: their locations are `request.json` or
/// `request.json#N`. The `.json` extension selects the reader.
const REQUEST_NAME: &str = "request.json";

/// Extracts and stores documents. Requires a write token on the server (403 without
/// one) and `Authorization: Bearer TOKEN` (401 without it, 403 with another token).
/// Answers 201 with one outcome per document when at least one was stored, 422 when
/// none could be read or extracted.
#[utoipa::path(post, path = "/api/v1/documents", tag = "documents",
    request_body(content = DocumentsInput, description = "One document or an array of them"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Outcomes, one per document", body = PostResponse),
        (status = 400, description = "The body is not a JSON object or array of objects",
         body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token", body = Problem,
         content_type = "application/problem+json"),
        (status = 403, description = "A wrong token, or writes are disabled on this server",
         body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the server's limit",
         body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No document could be read or extracted",
         body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn post_documents(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<PostResponse>), ApiError> {
    authorise(state.writer(), &headers)?;
    let body = body.map_err(|e| {
        let status = e.status();
        ApiError::new(
            status,
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                "too-large"
            } else {
                "bad-request"
            },
            format!(
                "{} (the limit is {} bytes)",
                e.body_text(),
                state.max_body_bytes()
            ),
        )
    })?;
    check_shape(&body)?;
    let max_bytes = state.max_body_bytes();
    let worker = state.clone();
    let response = state
        .blocking(move || {
            let writer = worker
                .writer()
                .ok_or_else(|| ApiError::internal("the writer vanished"))?;
            ingest(writer, worker.db(), &body, max_bytes)
        })
        .await?;
    if response.stored == 0 {
        let reasons: Vec<String> = response
            .results
            .iter()
            .filter_map(|o| Some(format!("{}: {}", o.location, o.error.as_deref()?)))
            .collect();
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no-document",
            format!("no document could be stored: {}", reasons.join("; ")),
        ));
    }
    Ok((StatusCode::CREATED, Json(response)))
}

/// 403 when writes are off, 401 without a bearer token, 403 with the wrong one.
fn authorise(writer: Option<&Writer>, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(writer) = writer else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "read-only",
            "this server is read-only: it was started without a write token",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
    let Some(given) = given else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "writing needs an `Authorization: Bearer TOKEN` header",
        ));
    };
    if !same_secret(given.as_bytes(), writer.token.as_bytes()) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the bearer token is not this server's write token",
        ));
    }
    Ok(())
}

/// Compares a secret in time that depends only on the expected secret's length, not on
/// where the first difference is.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    let mut difference = u8::from(given.len() != expected.len());
    for (i, &byte) in expected.iter().enumerate() {
        let other = given.get(i).copied().unwrap_or(!byte);
        difference |= std::hint::black_box(byte ^ other);
    }
    std::hint::black_box(difference) == 0
}

/// 400 unless the body is a JSON object or a non-empty array of objects.
fn check_shape(body: &[u8]) -> Result<(), ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
    let fine = match &value {
        Value::Object(_) => true,
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_object),
        _ => false,
    };
    if fine {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "the body must be a document object or a non-empty array of them",
        ))
    }
}

/// Reads, extracts and stores the posted documents (blocking).
fn ingest(
    writer: &Writer,
    db: &std::path::Path,
    body: &[u8],
    max_bytes: usize,
) -> Result<PostResponse, ApiError> {
    let options = ReadOptions {
        max_bytes,
        ..ReadOptions::default()
    };
    let read = sitrep_read::read_bytes(body, REQUEST_NAME, &options);
    let hashes: Vec<String> = read
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|doc| doc.id()))
        .collect();
    let known = {
        let store = writer_store(writer, db)?;
        let refs: Vec<&str> = hashes.iter().map(String::as_str).collect();
        store.contains(&refs)?
    };
    let mut known = known.into_iter();
    // Slots in input order: the index of a record to write, or the failure of that input.
    let mut records: Vec<Record> = Vec::with_capacity(read.len());
    let mut slots: Vec<Result<usize, (String, String)>> = Vec::with_capacity(read.len());
    for item in read {
        let record = match item {
            Err(failure) => Err((failure.location, failure.error.to_string())),
            Ok(doc) if known.next() == Some(true) => {
                Ok(Record::new(sitrep_engine::pipeline::document_of(&doc)))
            }
            Ok(doc) => writer
                .engine
                .try_extract(&doc)
                .map_err(|e| (doc.source.clone(), e.to_string())),
        };
        slots.push(record.map(|r| {
            records.push(r);
            records.len() - 1
        }));
    }
    let outcomes = if records.is_empty() {
        Vec::new()
    } else {
        writer_store(writer, db)?.put_batch(&records, &[])?
    };
    let mut outcomes = outcomes.into_iter();
    let mut response = PostResponse {
        results: Vec::with_capacity(slots.len()),
        stored: 0,
        failed: 0,
    };
    for slot in slots {
        let outcome = match slot {
            Ok(index) => {
                let document = &records[index].document;
                let status = match outcomes.next() {
                    Some(PutOutcome::New) => "new",
                    Some(PutOutcome::NewVersion) => "new_version",
                    Some(PutOutcome::NewSource) => "new_source",
                    Some(PutOutcome::Duplicate) | None => "duplicate",
                };
                response.stored += 1;
                tracing::info!(document = %document.id, status, "stored");
                PostOutcome {
                    location: document.source.clone(),
                    status: status.to_owned(),
                    document: Some(document.id.clone()),
                    error: None,
                }
            }
            Err((location, error)) => {
                response.failed += 1;
                tracing::warn!(%location, %error, "posted document failed");
                PostOutcome {
                    location,
                    status: "failed".to_owned(),
                    document: None,
                    error: Some(error),
                }
            }
        };
        response.results.push(outcome);
    }
    Ok(response)
}

/// The writable store; after a panic while it was held, it is opened afresh (its cache
/// of merged keys may hold facts of a batch that was rolled back).
fn writer_store<'a>(
    writer: &'a Writer,
    db: &std::path::Path,
) -> Result<std::sync::MutexGuard<'a, SqliteStore>, ApiError> {
    if writer.store.is_poisoned() {
        let mut store = lock(&writer.store);
        *store = SqliteStore::open(db)?;
        writer.store.clear_poison();
        return Ok(store);
    }
    Ok(lock(&writer.store))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"s3cret", b"s3cret"));
        assert!(!same_secret(b"s3cres", b"s3cret"));
        assert!(!same_secret(b"s3cre", b"s3cret"));
        assert!(!same_secret(b"s3cret!", b"s3cret"));
        assert!(!same_secret(b"", b"s3cret"));
    }

    #[test]
    fn only_objects_or_arrays_of_them_are_documents() {
        assert!(check_shape(br#"{"text": "a"}"#).is_ok());
        assert!(check_shape(br#"[{"text": "a"}, {"text": "b"}]"#).is_ok());
        for bad in [&b"[]"[..], b"[1]", b"\"text\"", b"{", b""] {
            let err = check_shape(bad).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST, "{bad:?}");
        }
    }
}
