//! The endpoints: handlers, their parameters, the router with its layers, and the
//! OpenAPI description generated from them.

use std::sync::OnceLock;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use sitrep_store::{FactKind, Filter, Store};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, OpenApi};

use crate::problem::{ApiError, Problem, PROBLEM_JSON};
use crate::state::AppState;
use crate::types::{DocumentPage, FactPage, MergedFact, StoryPage};
use crate::write;

/// The results of a page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 20;
/// The most results a page can hold.
pub const MAX_LIMIT: usize = 1000;

/// The filters of the fact and story lists. Every one is optional; they combine with
/// AND. An empty value counts as absent.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// First day, `YYYY-MM-DD`, inclusive (for stories: their last publication).
    pub since: Option<String>,
    /// Last day, `YYYY-MM-DD`, inclusive (for stories: their first publication).
    pub until: Option<String>,
    /// ISO 3166-1 alpha-2 code, any case: where an event or meeting took place, a
    /// person's side.
    pub country: Option<String>,
    /// A place's name as stored, any case: events there, meetings held there.
    pub place: Option<String>,
    /// Part of a person's or organisation's name: attacker, speaker, claim source,
    /// meeting participant, or the person.
    pub actor: Option<String>,
    /// A story id (see `/api/v1/stories`).
    pub story: Option<i64>,
    /// Full-text query in SQLite FTS5 syntax (`ceasefire`, `truce AND Geneva`), over the
    /// facts' own words (names, quoted words, claims' gists, attack and meeting labels);
    /// for `/stories`, over the documents' text.
    pub q: Option<String>,
    /// Results per page, 1 to 1000; 20 when absent.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// Paging of the document list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Results per page, 1 to 1000; 20 when absent.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// How many sources the evidence of one fact lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EvidenceParams {
    /// Sources listed, earliest stored first, 1 to 1000; 100 when absent. The fact's
    /// `documents` counts them all; its fields and disputes are read from its first
    /// 2,000 reports.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

/// Sources listed with each fact of a list page (its `documents` counts them all; the
/// evidence endpoint lists more): a page of 20 facts stays small and quick.
const LIST_SOURCES: usize = 10;

/// Sources the evidence lists when the request does not say.
const DEFAULT_EVIDENCE_SOURCES: usize = 100;

/// An optional string parameter: trimmed, empty as absent.
fn given(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn limit(value: Option<usize>) -> Result<usize, ApiError> {
    match value {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad_request(format!(
            "limit must be between 1 and {MAX_LIMIT}, not {n}"
        ))),
    }
}

impl ListParams {
    /// The store's filter; the store answers a value it cannot use (a bad day, country,
    /// cursor or full-text query) with a 400.
    pub fn filter(self) -> Result<Filter, ApiError> {
        Ok(Filter {
            since: given(self.since),
            until: given(self.until),
            country: given(self.country),
            place: given(self.place),
            actor: given(self.actor),
            story: self.story,
            text: given(self.q),
            limit: limit(self.limit)?,
            after: given(self.cursor),
            max_sources: LIST_SOURCES,
        })
    }
}

/// A query string axum could not parse (an unknown parameter, a number that is not one)
/// as a problem.
fn query<T>(params: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    params
        .map(|Query(p)| p)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

async fn list_facts(
    state: AppState,
    kind: FactKind,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<FactPage>, ApiError> {
    let filter = query(params)?.filter()?;
    let page = state
        .read(move |store| Ok(store.facts(kind, &filter)?))
        .await?;
    Ok(Json(page.into()))
}

/// People, merged across name variants and documents, newest first.
#[utoipa::path(get, path = "/api/v1/people", tag = "facts", params(ListParams),
    responses(
        (status = 200, description = "A page of people", body = FactPage),
        (status = 400, description = "A parameter the API cannot use", body = Problem,
         content_type = "application/problem+json"),
    ))]
async fn people(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<FactPage>, ApiError> {
    list_facts(state, FactKind::People, params).await
}

/// Quotes: the same or nearly the same words from any outlet, newest first.
#[utoipa::path(get, path = "/api/v1/quotes", tag = "facts", params(ListParams),
    responses(
        (status = 200, description = "A page of quotes", body = FactPage),
        (status = 400, description = "A parameter the API cannot use", body = Problem,
         content_type = "application/problem+json"),
    ))]
async fn quotes(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<FactPage>, ApiError> {
    list_facts(state, FactKind::Quotes, params).await
}

/// Meetings and talks, newest first.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "facts", params(ListParams),
    responses(
        (status = 200, description = "A page of meetings", body = FactPage),
        (status = 400, description = "A parameter the API cannot use", body = Problem,
         content_type = "application/problem+json"),
    ))]
async fn meetings(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<FactPage>, ApiError> {
    list_facts(state, FactKind::Meetings, params).await
}

/// Attacks and other violent events, newest first.
#[utoipa::path(get, path = "/api/v1/events", tag = "facts", params(ListParams),
    responses(
        (status = 200, description = "A page of events", body = FactPage),
        (status = 400, description = "A parameter the API cannot use", body = Problem,
         content_type = "application/problem+json"),
    ))]
async fn events(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<FactPage>, ApiError> {
    list_facts(state, FactKind::Events, params).await
}

/// Claims, accusations and denials, newest first.
#[utoipa::path(get, path = "/api/v1/claims", tag = "facts", params(ListParams),
    responses(
        (status = 200, description = "A page of claims", body = FactPage),
        (status = 400, description = "A parameter the API cannot use", body = Problem,
         content_type = "application/problem+json"),
    ))]
async fn claims(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<FactPage>, ApiError> {
    list_facts(state, FactKind::Claims, params).await
}

/// Stories (documents that share attacks, meetings, claims or quotes), newest first.
#[utoipa::path(get, path = "/api/v1/stories", tag = "stories", params(ListParams),
    responses(
        (status = 200, description = "A page of stories", body = StoryPage),
        (status = 400, description = "A parameter the API cannot use", body = Problem,
         content_type = "application/problem+json"),
    ))]
async fn stories(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<StoryPage>, ApiError> {
    let filter = query(params)?.filter()?;
    let page = state.read(move |store| Ok(store.stories(&filter)?)).await?;
    Ok(Json(page.into()))
}

/// Stored documents, most recently stored first.
#[utoipa::path(get, path = "/api/v1/documents", tag = "documents", params(PageParams),
    responses(
        (status = 200, description = "A page of documents", body = DocumentPage),
        (status = 400, description = "A parameter the API cannot use", body = Problem,
         content_type = "application/problem+json"),
    ))]
async fn documents(
    State(state): State<AppState>,
    params: Result<Query<PageParams>, QueryRejection>,
) -> Result<Json<DocumentPage>, ApiError> {
    let params = query(params)?;
    let limit = limit(params.limit)?;
    let after = given(params.cursor);
    let page = state
        .read(move |store| Ok(store.documents(after.as_deref(), limit)?))
        .await?;
    Ok(Json(page.into()))
}

/// A stored document's whole `sitrep/1` record (see `schema/sitrep-1.schema.json`),
/// its text included.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = String, Path, description = "The content hash, `sha256:` and 64 hex digits")),
    responses(
        (status = 200, description = "The sitrep/1 record", body = Object),
        (status = 404, description = "No document has this hash", body = Problem,
         content_type = "application/problem+json"),
    ))]
async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let lookup = id.clone();
    let record = state
        .read(move |store| Ok(store.record(&lookup)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no document has the id {id:?}")))?;
    Ok(Json(record).into_response())
}

/// One merged fact with every source that reported it: outlets, URLs and the evidence
/// (byte ranges and text) in each document.
#[utoipa::path(get, path = "/api/v1/facts/{id}/evidence", tag = "facts",
    params(("id" = i64, Path, description = "The merged fact's id (`id` in the lists)"),
           EvidenceParams),
    responses(
        (status = 200, description = "The fact with all its sources", body = MergedFact),
        (status = 400, description = "The id is not a number", body = Problem,
         content_type = "application/problem+json"),
        (status = 404, description = "No person, quote, meeting, event or claim has this id",
         body = Problem, content_type = "application/problem+json"),
    ))]
async fn evidence(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    params: Result<Query<EvidenceParams>, QueryRejection>,
) -> Result<Json<MergedFact>, ApiError> {
    let Path(id) = id.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let sources = match query(params)?.limit {
        None => DEFAULT_EVIDENCE_SOURCES,
        some => limit(some)?,
    };
    let fact = state
        .read(move |store| Ok(store.fact_by_id(id, sources)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no fact has the id {id}")))?;
    Ok(Json(fact.into()))
}

/// This API's OpenAPI 3 description.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI document", body = Object)))]
async fn openapi() -> Response {
    static JSON: OnceLock<String> = OnceLock::new();
    let body = JSON.get_or_init(|| {
        ApiDoc::openapi()
            .to_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    });
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.clone(),
    )
        .into_response()
}

/// The OpenAPI description of the API, generated from the handlers above.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "sitrep API",
        description = "Merged facts with their evidence, stories and documents of a sitrep store."
    ),
    paths(
        people, quotes, meetings, events, claims, stories, documents, document, evidence,
        write::post_documents, openapi
    ),
    components(schemas(Problem)),
    modifiers(&BearerAuth),
    tags(
        (name = "facts", description = "Merged facts: people, quotes, meetings, events, claims"),
        (name = "stories", description = "Documents grouped by what they share"),
        (name = "documents", description = "Stored documents and their records"),
        (name = "meta", description = "About the API"),
    )
)]
pub struct ApiDoc;

/// Declares the bearer-token scheme that `POST /api/v1/documents` requires.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The router with every endpoint and layer; see [`crate::router`].
pub fn router(state: AppState) -> Router {
    let max_body = state.max_body_bytes();
    let timeout = state.request_timeout();
    let api = Router::new()
        .route("/people", get(people))
        .route("/quotes", get(quotes))
        .route("/meetings", get(meetings))
        .route("/events", get(events))
        .route("/claims", get(claims))
        .route("/stories", get(stories))
        .route("/documents", get(documents).post(write::post_documents))
        .route("/documents/{id}", get(document))
        .route("/facts/{id}/evidence", get(evidence))
        .route("/openapi.json", get(openapi));
    Router::new()
        .nest("/api/v1", api)
        .merge(crate::page::routes())
        .with_state(state.clone())
        // Innermost first: the body limit (axum's extractors and the stream alike), the
        // time limit, problem details for the layers' bare errors, compression, tracing.
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(middleware::from_fn_with_state(state, problems))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// Gives error answers that are not problem details yet (unknown paths, wrong methods,
/// the body and time limits' answers) the problem shape.
async fn problems(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let error = match status {
        StatusCode::NOT_FOUND => ApiError::not_found(format!("no endpoint at {path}")),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
            status,
            "method-not-allowed",
            format!("{path} does not answer {method}"),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            status,
            "too-large",
            format!(
                "the request body is larger than the limit of {} bytes",
                state.max_body_bytes()
            ),
        ),
        StatusCode::SERVICE_UNAVAILABLE => ApiError::new(
            status,
            "timeout",
            format!(
                "the request did not finish within {} s",
                state.request_timeout().as_secs_f64()
            ),
        ),
        _ => ApiError::new(
            status,
            "http",
            status.canonical_reason().unwrap_or("error").to_owned(),
        ),
    };
    let mut rewritten = error.into_response();
    // Keep what the original answer said about methods (405's `Allow`).
    if let Some(allow) = response.headers().get(header::ALLOW) {
        rewritten.headers_mut().insert(header::ALLOW, allow.clone());
    }
    rewritten
}
