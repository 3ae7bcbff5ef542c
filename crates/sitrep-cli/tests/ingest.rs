//! End-to-end tests of `sitrep ingest`: idempotence on the bundled examples, failures
//! recorded and retried, and a store that survives `kill -9` in the middle of a run.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;

mod common;

use common::{repo, run, sitrep};

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitrep-ingest-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = Connection::open(db).unwrap();
    conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

fn integrity(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn ingesting_the_examples_twice_stores_each_document_once() {
    let dir = tempdir("examples");
    let db = dir.join("news.db");
    let articles = repo().join("examples/articles");
    let first = run(sitrep().arg("ingest").arg("--db").arg(&db).arg(&articles));
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("ingested 7 documents"),
        "{}",
        stdout(&first)
    );
    assert!(stdout(&first).contains("7 new, 0 new versions, 0 duplicates"));
    let quotes = count(&db, "SELECT count(*) FROM quotes");
    let mentions = count(&db, "SELECT count(*) FROM mentions");
    assert!(
        quotes > 0 && mentions > 0,
        "{quotes} quotes, {mentions} mentions"
    );

    let second = run(sitrep().arg("ingest").arg("--db").arg(&db).arg(&articles));
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("0 new, 0 new versions, 7 duplicates"),
        "{}",
        stdout(&second)
    );
    assert_eq!(count(&db, "SELECT count(*) FROM documents"), 7);
    assert_eq!(count(&db, "SELECT count(*) FROM sources"), 7);
    assert_eq!(count(&db, "SELECT count(*) FROM quotes"), quotes);
    assert_eq!(count(&db, "SELECT count(*) FROM mentions"), mentions);
    assert_eq!(count(&db, "SELECT count(*) FROM failures"), 0);
    // Every stored quote is the text at its offsets.
    let misplaced = count(
        &db,
        "SELECT count(*) FROM quotes q JOIN documents d ON d.id = q.document_id
         WHERE CAST(substr(CAST(d.text AS BLOB), q.start + 1, q.end - q.start) AS TEXT)
               <> q.text",
    );
    assert_eq!(misplaced, 0);
    assert_eq!(integrity(&db), "ok");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_input_is_recorded_exits_1_and_is_resolved_by_a_retry() {
    let dir = tempdir("failures");
    let inputs = dir.join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(
        inputs.join("a-good.txt"),
        "The harbour council met on Friday and agreed to reopen the northern pier.\n",
    )
    .unwrap();
    let bad = inputs.join("b-binary.txt");
    std::fs::write(&bad, [0u8, 200, 17, 0, 0, 3, 9, 0, 1, 2]).unwrap();
    let db = dir.join("news.db");

    let out = run(sitrep().arg("ingest").arg("--db").arg(&db).arg(&inputs));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let location = bad.display().to_string();
    assert!(stderr(&out).contains(&location), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 failed"), "{}", stdout(&out));
    assert_eq!(count(&db, "SELECT count(*) FROM documents"), 1);
    let conn = Connection::open(&db).unwrap();
    let (stored, reason, attempts, resolved): (String, String, i64, i64) = conn
        .query_row(
            "SELECT location, reason, attempts, resolved FROM failures",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .unwrap();
    drop(conn);
    assert_eq!(stored, location);
    assert!(reason.contains("binary"), "{reason}");
    assert_eq!((attempts, resolved), (1, 0));

    // Still broken: a retry counts another attempt and still fails.
    let out = run(sitrep()
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg("--retry-failed"));
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(count(&db, "SELECT attempts FROM failures"), 2);

    // Fixed: the retry reads it, stores it and marks the failure resolved.
    std::fs::write(&bad, "Ferries to the island will run again from Monday.\n").unwrap();
    let out = run(sitrep()
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg("--retry-failed"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 resolved, 0 still failing"),
        "{}",
        stdout(&out)
    );
    assert_eq!(count(&db, "SELECT count(*) FROM documents"), 2);
    assert_eq!(count(&db, "SELECT resolved FROM failures"), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A JSON Lines file of `n` short, distinct articles.
fn generated_jsonl(path: &Path, n: usize) {
    const TOWNS: [&str; 6] = ["Odesa", "Kharkiv", "Mosul", "Aleppo", "Goma", "Juba"];
    const DAYS: [&str; 5] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
    let mut out = String::new();
    for i in 0..n {
        let town = TOWNS[i % TOWNS.len()];
        let day = DAYS[i % DAYS.len()];
        let text = format!(
            "Local officials in {town} said on {day} that {i} households had come back \
             after the truce held through the night. A mediator said the two delegations \
             would meet again next week to talk about prisoner exchanges."
        );
        let line = serde_json::json!({
            "url": format!("https://dispatch.example/{i}"),
            "outlet": "Dispatch",
            "published": "2026-05-04",
            "title": format!("Families return to {town} ({i})"),
            "text": text,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn a_killed_ingest_leaves_a_sound_store_and_a_rerun_stores_everything_once() {
    const N: i64 = 3000;
    let dir = tempdir("crash");
    let corpus = dir.join("corpus.jsonl");
    generated_jsonl(&corpus, N as usize);
    let db = dir.join("news.db");
    let ingest = || {
        let mut cmd = sitrep();
        cmd.args(["ingest", "--batch", "50", "--db"])
            .arg(&db)
            .arg(&corpus);
        cmd
    };

    let mut child = ingest()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sitrep starts");
    // Kill it (SIGKILL) as soon as a first batch is committed.
    let committed = |db: &Path| -> i64 {
        Connection::open(db)
            .and_then(|c| c.query_row("SELECT count(*) FROM documents", [], |r| r.get(0)))
            .unwrap_or(0)
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut at_kill = 0;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        at_kill = if db.exists() { committed(&db) } else { 0 };
        if at_kill > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("kill");
    child.wait().unwrap();
    assert!(
        at_kill > 0 && at_kill < N,
        "killed after {at_kill} of {N} documents"
    );

    assert_eq!(integrity(&db), "ok");
    let before = committed(&db);
    assert!(
        before >= at_kill && before < N,
        "{before} documents after the kill"
    );

    let out = run(&mut ingest());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("ingested {N} documents")),
        "{}",
        stdout(&out)
    );
    assert_eq!(integrity(&db), "ok");
    assert_eq!(count(&db, "SELECT count(*) FROM documents"), N);
    assert_eq!(
        count(&db, "SELECT count(DISTINCT content_hash) FROM documents"),
        N
    );
    assert_eq!(count(&db, "SELECT count(*) FROM sources"), N);
    assert_eq!(
        count(&db, "SELECT count(DISTINCT location) FROM sources"),
        N
    );
    assert_eq!(count(&db, "SELECT count(*) FROM failures"), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
