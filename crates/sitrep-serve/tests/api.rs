//! The API end to end: a store built from the bundled merge example, the router called
//! in-process with `tower::ServiceExt::oneshot` (and once over a real socket, to see
//! graceful shutdown).

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use sitrep_engine::Engine;
use sitrep_read::{InputFile, ReadOptions};
use sitrep_serve::{router, AppState, ServeConfig, ServeError};
use sitrep_store::{FactKind, Filter, SqliteStore, Store};
use tower::ServiceExt;

const TOKEN: &str = "correct horse battery staple";

/// A fresh directory for one test.
fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitrep-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A store holding the ten articles of `examples/merge/coverage.jsonl`, as
/// `sitrep ingest` would write it.
fn build_store(dir: &Path) -> PathBuf {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/merge/coverage.jsonl");
    let engine = Engine::new();
    let records: Vec<_> = sitrep_read::read_input(&InputFile::File(input), &ReadOptions::default())
        .into_iter()
        .map(|doc| engine.extract(&doc.expect("the example reads")))
        .collect();
    assert_eq!(records.len(), 10);
    let db = dir.join("sitrep.db");
    let mut store = SqliteStore::open(&db).unwrap();
    store.put_batch(&records, &[]).unwrap();
    db
}

fn config(db: &Path, token: Option<&str>) -> ServeConfig {
    ServeConfig {
        write_token: token.map(str::to_owned),
        ..ServeConfig::new(db)
    }
}

fn app(config: &ServeConfig) -> Router {
    router(AppState::open(config).expect("the store opens"))
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a problem-details answer with `status`; returns its detail.
    fn problem(&self, status: StatusCode) -> String {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.content_type(), "application/problem+json");
        assert_eq!(self.body["status"], status.as_u16());
        assert!(self.body["type"]
            .as_str()
            .unwrap()
            .starts_with("urn:sitrep:problem:"));
        assert!(!self.body["title"].as_str().unwrap().is_empty());
        let detail = self.body["detail"].as_str().unwrap().to_owned();
        assert!(!detail.is_empty());
        detail
    }

    fn results(&self) -> &Vec<Value> {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        self.body["results"].as_array().expect("a page has results")
    }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
    };
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &Router, token: Option<&str>, body: impl Into<Body>) -> Answer {
    let mut request =
        Request::post("/api/v1/documents").header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    send(app, request.body(body.into()).unwrap()).await
}

fn ids(page: &[Value]) -> Vec<i64> {
    page.iter().map(|f| f["id"].as_i64().unwrap()).collect()
}

const FACT_LISTS: [(&str, FactKind); 5] = [
    ("people", FactKind::People),
    ("quotes", FactKind::Quotes),
    ("meetings", FactKind::Meetings),
    ("events", FactKind::Events),
    ("claims", FactKind::Claims),
];

#[tokio::test]
async fn every_list_answers_as_the_store_pages_serialise() {
    let dir = tempdir("lists");
    let db = build_store(&dir);
    let app = app(&config(&db, None));
    let store = SqliteStore::open_read_only(&db).unwrap();
    let filter = Filter {
        limit: 20,
        ..Filter::default()
    };
    for (name, kind) in FACT_LISTS {
        let answer = get(&app, &format!("/api/v1/{name}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{name}: {}", answer.body);
        assert_eq!(answer.content_type(), "application/json", "{name}");
        let expected = serde_json::to_value(store.facts(kind, &filter).unwrap()).unwrap();
        assert_eq!(answer.body, expected, "{name}");
        assert!(!answer.results().is_empty(), "{name}: the example has some");
        for fact in answer.results() {
            assert_eq!(fact["kind"], kind.as_str());
            assert!(fact["sources"].as_array().is_some_and(|s| !s.is_empty()));
        }
    }
    let answer = get(&app, "/api/v1/stories").await;
    let expected = serde_json::to_value(store.stories(&filter).unwrap()).unwrap();
    assert_eq!(answer.body, expected);
    assert!(!answer.results().is_empty());
    assert!(answer.results()[0]["documents"].as_u64().unwrap() >= 1);
}

/// Labels of a list's results.
fn labels(page: &[Value]) -> Vec<&str> {
    page.iter().map(|f| f["label"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn filters_narrow_the_results() {
    // The example: one strike in Dnipro (story 1, 2025-05-13) and one round of talks in
    // Istanbul (story 2, 2025-05-16), each told by several outlets.
    let dir = tempdir("filters");
    let db = build_store(&dir);
    let app = app(&config(&db, None));
    let all = |list: &str| format!("/api/v1/{list}?limit=1000");

    // Country, any case.
    let people = get(&app, &all("people")).await.results().clone();
    let ukrainians = get(&app, &format!("{}&country=ua", all("people"))).await;
    assert!(!ukrainians.results().is_empty() && ukrainians.results().len() < people.len());
    assert!(ukrainians.results().iter().all(|p| p["country"] == "UA"));
    assert_eq!(
        labels(get(&app, "/api/v1/meetings?country=TR").await.results()),
        ["talks in Istanbul"]
    );
    assert!(get(&app, "/api/v1/events?country=AQ")
        .await
        .results()
        .is_empty());

    // Days, inclusive at both ends.
    let claims = get(&app, &all("claims")).await.results().clone();
    let day = get(
        &app,
        &format!("{}&since=2025-05-13&until=2025-05-13", all("claims")),
    )
    .await;
    assert!(!day.results().is_empty() && day.results().len() < claims.len());
    assert!(day.results().iter().all(|c| c["date"] == "2025-05-13"));
    let later = get(&app, &format!("{}&since=2025-05-14", all("claims"))).await;
    assert!(later
        .results()
        .iter()
        .all(|c| c["date"].as_str().unwrap() >= "2025-05-14"));
    assert!(get(&app, "/api/v1/claims?since=2030-01-01")
        .await
        .results()
        .is_empty());
    assert!(get(&app, "/api/v1/claims?until=2000-01-01")
        .await
        .results()
        .is_empty());

    // Place and actor.
    assert_eq!(
        labels(get(&app, "/api/v1/events?place=dnipro").await.results()),
        ["missile strike in Dnipro"]
    );
    assert!(get(&app, "/api/v1/events?place=Istanbul")
        .await
        .results()
        .is_empty());
    let vladimirs = get(&app, "/api/v1/people?actor=Vladimir").await;
    let mut names = labels(vladimirs.results());
    names.sort_unstable();
    assert_eq!(names, ["Vladimir Medinsky", "Vladimir Putin"]);
    // Each person with what they said and the meetings they took part in, over time.
    let medinsky = vladimirs
        .results()
        .iter()
        .find(|p| p["label"] == "Vladimir Medinsky")
        .unwrap();
    let said = medinsky["fields"]["quotes"].as_array().unwrap();
    assert_eq!(said.len(), 3, "{medinsky}");
    assert!(said
        .iter()
        .all(|q| q["date"] == "2025-05-16" && q["id"].is_i64()));
    let met = medinsky["fields"]["meetings"].as_array().unwrap();
    assert_eq!(met.len(), 1, "{medinsky}");
    assert_eq!(met[0]["label"], "talks in Istanbul");
    let talks = get(&app, &format!("/api/v1/facts/{}/evidence", met[0]["id"])).await;
    assert_eq!(talks.body["kind"], "meeting");

    // Full text over the documents, and over the quotes' own words.
    assert_eq!(
        get(&app, "/api/v1/events?q=Dnipro").await.results().len(),
        1
    );
    assert!(get(&app, "/api/v1/events?q=Istanbul")
        .await
        .results()
        .is_empty());
    assert!(get(&app, "/api/v1/meetings?q=zzzznotaword")
        .await
        .results()
        .is_empty());
    let quotes = get(&app, &all("quotes")).await.results().clone();
    let word = quotes[0]["label"]
        .as_str()
        .unwrap()
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() > 4)
        .expect("a long word in a quote")
        .to_owned();
    let found = get(&app, &format!("/api/v1/quotes?q={word}")).await;
    assert!(ids(found.results()).contains(&quotes[0]["id"].as_i64().unwrap()));
    assert!(found.results().len() < quotes.len());

    // A story's facts, and the story itself.
    let talks = get(&app, &format!("{}&story=2", all("claims"))).await;
    assert!(!talks.results().is_empty() && talks.results().len() < claims.len());
    assert!(talks.results().iter().all(|c| c["story"] == 2));
    assert_eq!(
        ids(get(&app, "/api/v1/stories?story=1").await.results()),
        [1]
    );
    assert_eq!(
        ids(get(&app, "/api/v1/stories?country=TR").await.results()),
        [2]
    );
}

#[tokio::test]
async fn cursors_page_through_everything_once() {
    let dir = tempdir("paging");
    let db = build_store(&dir);
    let app = app(&config(&db, None));
    for list in ["people", "quotes", "claims", "stories"] {
        let all = ids(get(&app, &format!("/api/v1/{list}?limit=1000"))
            .await
            .results());
        assert!(all.len() >= 2, "{list}");
        assert!(get(&app, &format!("/api/v1/{list}?limit=1000"))
            .await
            .body
            .get("next")
            .is_none());
        let mut seen = Vec::new();
        let mut uri = format!("/api/v1/{list}?limit=1");
        loop {
            let page = get(&app, &uri).await;
            assert_eq!(page.results().len(), 1, "{list}");
            seen.extend(ids(page.results()));
            match page.body["next"].as_str() {
                Some(next) => {
                    let cursor = next.replace('/', "%2F").replace(':', "%3A");
                    uri = format!("/api/v1/{list}?limit=1&cursor={cursor}");
                }
                None => break,
            }
        }
        assert_eq!(seen, all, "{list}");
    }

    let all = get(&app, "/api/v1/documents?limit=1000").await;
    assert_eq!(
        all.results().len(),
        9,
        "ten lines, one a word-for-word copy"
    );
    let first = get(&app, "/api/v1/documents?limit=4").await;
    let next = first.body["next"]
        .as_str()
        .expect("more documents")
        .to_owned();
    let second = get(&app, &format!("/api/v1/documents?limit=100&cursor={next}")).await;
    let listed: Vec<&Value> = first.results().iter().chain(second.results()).collect();
    let expected: Vec<&Value> = all.results().iter().collect();
    assert_eq!(listed, expected);
    assert!(second.body.get("next").is_none());
}

#[tokio::test]
async fn bad_parameters_are_problems() {
    let dir = tempdir("bad");
    let db = build_store(&dir);
    let app = app(&config(&db, None));
    for (uri, says) in [
        ("/api/v1/events?since=2025-13-01", "since"),
        ("/api/v1/events?until=yesterday", "until"),
        ("/api/v1/events?since=2025-5-1", "since"),
        ("/api/v1/events?since=2025-06-01&until=2025-05-01", "after"),
        ("/api/v1/people?country=Ukraine", "country"),
        ("/api/v1/people?limit=0", "limit"),
        ("/api/v1/people?limit=5000", "limit"),
        ("/api/v1/people?limit=many", "limit"),
        ("/api/v1/people?story=first", "story"),
        ("/api/v1/people?colour=red", "colour"),
        ("/api/v1/events?cursor=nonsense", "cursor"),
        ("/api/v1/stories?cursor=nonsense", "cursor"),
        ("/api/v1/documents?cursor=nonsense", "cursor"),
        ("/api/v1/quotes?q=%22unbalanced", "FTS5"),
        ("/api/v1/events?q=AND%20OR", "FTS5"),
        ("/api/v1/facts/abc/evidence", "abc"),
    ] {
        let detail = get(&app, uri).await.problem(StatusCode::BAD_REQUEST);
        assert!(detail.contains(says), "{uri}: {detail}");
    }
}

#[tokio::test]
async fn documents_records_and_evidence() {
    let dir = tempdir("documents");
    let db = build_store(&dir);
    let app = app(&config(&db, None));
    let list = get(&app, "/api/v1/documents").await;
    assert_eq!(
        list.results().len(),
        9,
        "ten lines, one a word-for-word copy"
    );
    for doc in list.results() {
        assert!(doc["id"].as_str().unwrap().starts_with("sha256:"));
        for field in ["title", "outlet", "url", "published", "first_seen"] {
            assert!(doc[field].is_string(), "{field} in {doc}");
        }
    }
    let sources: Vec<u64> = list
        .results()
        .iter()
        .map(|d| d["sources"].as_u64().unwrap())
        .collect();
    assert_eq!(sources.iter().sum::<u64>(), 10, "{sources:?}");
    let id = list.results()[0]["id"].as_str().unwrap();
    let record = get(&app, &format!("/api/v1/documents/{id}")).await;
    assert_eq!(record.status, StatusCode::OK);
    assert_eq!(record.body["schema"], "sitrep/1");
    assert_eq!(record.body["document"]["id"], id);
    assert!(!record.body["document"]["text"].as_str().unwrap().is_empty());
    assert_eq!(record.body["document"]["title"], list.results()[0]["title"]);

    let missing = format!("sha256:{}", "0".repeat(64));
    get(&app, &format!("/api/v1/documents/{missing}"))
        .await
        .problem(StatusCode::NOT_FOUND);

    // Evidence: the fact with its sources (up to 100), outlets, URLs and sentences.
    let events = get(&app, "/api/v1/events?limit=1000")
        .await
        .results()
        .clone();
    let widest = events
        .iter()
        .max_by_key(|e| e["documents"].as_u64().unwrap())
        .unwrap();
    let id = widest["id"].as_i64().unwrap();
    let fact = get(&app, &format!("/api/v1/facts/{id}/evidence")).await;
    assert_eq!(fact.status, StatusCode::OK, "{}", fact.body);
    assert_eq!(fact.body["id"], id);
    assert_eq!(fact.body["label"], widest["label"]);
    let sources = fact.body["sources"].as_array().unwrap();
    assert!(sources.len() as u64 >= widest["documents"].as_u64().unwrap());
    assert!(sources.len() > 1);
    for source in sources {
        assert!(
            source["outlet"].is_string() && source["url"].is_string(),
            "{source}"
        );
        let evidence = source["evidence"].as_array().unwrap();
        assert!(!evidence.is_empty());
        assert!(evidence
            .iter()
            .all(|e| !e["text"].as_str().unwrap().is_empty()));
    }
    // A shorter list on request; the fact's fields and disputes are the same.
    let first = get(&app, &format!("/api/v1/facts/{id}/evidence?limit=1")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.body["sources"].as_array().unwrap().len(), 1);
    assert_eq!(first.body["sources"][0], sources[0]);
    assert_eq!(first.body["disputes"], fact.body["disputes"]);
    assert_eq!(first.body["documents"], fact.body["documents"]);
    get(&app, &format!("/api/v1/facts/{id}/evidence?limit=0"))
        .await
        .problem(StatusCode::BAD_REQUEST);
    get(&app, "/api/v1/facts/99999999/evidence")
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn writes_need_a_configured_token_and_the_right_one() {
    let dir = tempdir("writes");
    let db = build_store(&dir);
    let article = json!({
        "url": "https://harbourpost.example/2025/05/20/ferry-talks",
        "title": "Ferry talks to resume in Valletta",
        "published": "2025-05-20",
        "outlet": "Harbour Post",
        "text": "Malta's transport minister Ana Petrova met her Italian counterpart in \
                 Valletta on Tuesday to resume talks on the ferry link.\n\n\
                 \"We are closer than last week,\" Petrova told reporters on the quay."
    });

    // Read-only server: writes are refused whatever the token (403).
    let read_only = app(&config(&db, None));
    post(&read_only, Some(TOKEN), article.to_string())
        .await
        .problem(StatusCode::FORBIDDEN);
    post(&read_only, None, article.to_string())
        .await
        .problem(StatusCode::FORBIDDEN);

    let writable = app(&config(&db, Some(TOKEN)));
    let unauthorised = post(&writable, None, article.to_string()).await;
    unauthorised.problem(StatusCode::UNAUTHORIZED);
    assert!(unauthorised.headers.contains_key(header::WWW_AUTHENTICATE));
    post(&writable, Some("not the token"), article.to_string())
        .await
        .problem(StatusCode::FORBIDDEN);
    post(&writable, Some(TOKEN), "[]")
        .await
        .problem(StatusCode::BAD_REQUEST);
    post(&writable, Some(TOKEN), "{not json")
        .await
        .problem(StatusCode::BAD_REQUEST);
    post(&writable, Some(TOKEN), r#"{"title": "no text"}"#)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);

    let created = post(&writable, Some(TOKEN), article.to_string()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(
        (
            created.body["stored"].as_u64(),
            created.body["failed"].as_u64()
        ),
        (Some(1), Some(0))
    );
    let outcome = &created.body["results"][0];
    assert_eq!(outcome["status"], "new");
    let hash = outcome["document"].as_str().unwrap().to_owned();

    // It is listed first now, by the read-only server too, and its record is whole.
    for server in [&writable, &read_only] {
        let list = get(server, "/api/v1/documents?limit=1").await;
        assert_eq!(list.results()[0]["id"], hash.as_str());
        assert_eq!(list.results()[0]["outlet"], "Harbour Post");
    }
    let record = get(&read_only, &format!("/api/v1/documents/{hash}")).await;
    assert_eq!(record.body["document"]["url"], article["url"]);
    let people = get(&read_only, "/api/v1/people?actor=Petrova").await;
    assert!(
        !people.results().is_empty(),
        "the engine ran on it: {}",
        people.body
    );

    // An array: the same text again (a duplicate), a syndicated copy, and a failure.
    let mut copy = article.clone();
    copy["url"] = json!("https://wire.example/item/7");
    copy["outlet"] = json!("Wire Service");
    let batch = json!([article, copy, {"title": "no text"}]);
    let answer = post(&writable, Some(TOKEN), batch.to_string()).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let statuses: Vec<&str> = answer.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["duplicate", "new_source", "failed"]);
    assert_eq!(answer.body["results"][2]["location"], "request.json#3");
    assert!(answer.body["results"][2]["error"].is_string());
    let store = SqliteStore::open_read_only(&db).unwrap();
    assert_eq!(store.counts().unwrap().documents, 10);
    assert_eq!(store.counts().unwrap().sources, 12);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let dir = tempdir("oversized");
    let db = build_store(&dir);
    let app = app(&ServeConfig {
        max_body_bytes: 1024,
        ..config(&db, Some(TOKEN))
    });
    let text = "word ".repeat(1000);
    let body = json!({"text": text}).to_string();
    let detail = post(&app, Some(TOKEN), body.clone())
        .await
        .problem(StatusCode::PAYLOAD_TOO_LARGE);
    assert!(detail.contains("1024"), "{detail}");
    // Without a Content-Length (chunked), the limit holds as the body is read.
    let request = Request::post("/api/v1/documents")
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::new(Chunked::new(body)))
        .unwrap();
    send(&app, request)
        .await
        .problem(StatusCode::PAYLOAD_TOO_LARGE);
}

/// A body sent in chunks of 100 bytes, its length unknown in advance.
struct Chunked(Vec<axum::body::Bytes>);

impl Chunked {
    fn new(body: String) -> Chunked {
        let bytes = axum::body::Bytes::from(body);
        let mut chunks: Vec<_> = (0..bytes.len())
            .step_by(100)
            .map(|i| bytes.slice(i..(i + 100).min(bytes.len())))
            .collect();
        chunks.reverse();
        Chunked(chunks)
    }
}

impl http_body::Body for Chunked {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(
            self.get_mut()
                .0
                .pop()
                .map(|c| Ok(http_body::Frame::data(c))),
        )
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_are_problems_too() {
    let dir = tempdir("routes");
    let db = build_store(&dir);
    let app = app(&config(&db, None));
    get(&app, "/api/v1/nothing")
        .await
        .problem(StatusCode::NOT_FOUND);
    get(&app, "/nothing").await.problem(StatusCode::NOT_FOUND);
    let request = Request::builder()
        .method(Method::DELETE)
        .uri("/api/v1/people")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app, request).await;
    answer.problem(StatusCode::METHOD_NOT_ALLOWED);
    assert!(answer.headers.contains_key(header::ALLOW));
}

#[tokio::test]
async fn answers_are_gzipped_when_asked() {
    let dir = tempdir("gzip");
    let db = build_store(&dir);
    let app = app(&config(&db, None));
    let request = Request::get("/api/v1/events?limit=1000")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test]
async fn the_openapi_document_lists_every_path() {
    let dir = tempdir("openapi");
    let db = build_store(&dir);
    let app = app(&config(&db, None));
    let doc = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc.body["paths"].as_object().unwrap();
    for path in [
        "/api/v1/people",
        "/api/v1/quotes",
        "/api/v1/meetings",
        "/api/v1/events",
        "/api/v1/claims",
        "/api/v1/stories",
        "/api/v1/documents",
        "/api/v1/documents/{id}",
        "/api/v1/facts/{id}/evidence",
        "/api/v1/openapi.json",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    assert_eq!(paths.len(), 10);
    let post = &paths["/api/v1/documents"]["post"];
    assert!(post["security"][0].get("bearer").is_some());
    assert!(post["responses"].get("401").is_some());
    let params: Vec<&str> = paths["/api/v1/events"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        params,
        ["since", "until", "country", "place", "actor", "story", "q", "limit", "cursor"]
    );
    // Every field an answer carries is described.
    let schemas = doc.body["components"]["schemas"].as_object().unwrap();
    let events = get(&app, "/api/v1/events?limit=1000").await;
    let described = schemas["MergedFact"]["properties"].as_object().unwrap();
    for event in events.results() {
        for key in event.as_object().unwrap().keys() {
            assert!(described.contains_key(key), "{key} is not in the schema");
        }
    }
    for name in [
        "FactPage",
        "StoryPage",
        "DocumentPage",
        "Problem",
        "PostResponse",
        "SourceRef",
    ] {
        assert!(schemas.contains_key(name), "{name} missing");
    }
}

#[tokio::test]
async fn a_missing_store_is_an_error_at_start_not_a_new_file() {
    let dir = tempdir("missing");
    let db = dir.join("absent.db");
    let err = AppState::open(&config(&db, None)).unwrap_err();
    assert!(matches!(err, ServeError::Store(_)), "{err}");
    assert!(!db.exists());
    let err = AppState::open(&config(&db, Some("  "))).unwrap_err();
    assert!(matches!(err, ServeError::Config(_)), "{err}");
}

#[tokio::test]
async fn serve_stops_gracefully_on_the_shutdown_signal() {
    let dir = tempdir("serve");
    let db = build_store(&dir);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(sitrep_serve::serve_on(listener, config(&db, None), async {
        let _ = stopped.await;
    }));
    let answer = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream
            .write_all(b"GET /api/v1/stories?limit=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"results\""), "{answer}");
    stop.send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(20), server)
        .await
        .expect("the server stops")
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn a_request_past_the_time_limit_is_a_problem() {
    let dir = tempdir("timeout");
    let db = build_store(&dir);
    // No time at all: the store read cannot finish before the limit.
    let app = app(&ServeConfig {
        request_timeout: Duration::ZERO,
        ..config(&db, None)
    });
    let detail = get(&app, "/api/v1/people")
        .await
        .problem(StatusCode::SERVICE_UNAVAILABLE);
    assert!(detail.contains("did not finish"), "{detail}");
}
