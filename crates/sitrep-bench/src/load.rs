//! The HTTP load benchmark (`sitrep bench --serve-load`): serve the store that
//! `sitrep bench --store N` left behind with the real `sitrep serve` (a child process,
//! read-only, on a free port of 127.0.0.1), then load each main endpoint with `wrk` for
//! a bounded time and report its latency percentiles.
//!
//! Each endpoint is loaded with a rotation of requests, like the store benchmark's
//! filter mix: no filter, a date, a country, a place, an actor and full text for the
//! fact lists; many different ids for the documents and the evidence. `wrk` reads the
//! rotation from a small Lua script written next to the store, after a second of
//! warm-up that is not counted. Nothing leaves the
//! machine: the server binds 127.0.0.1 and `wrk` is pointed at it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use sitrep_store::{SqliteStore, Store};

use crate::store::{column, samples, Samples};

/// Latencies of one endpoint under load.
#[derive(Debug, Serialize)]
pub struct EndpointLoad {
    /// The route, e.g. `/api/v1/events`.
    pub endpoint: String,
    /// Distinct requests in the rotation.
    pub variants: usize,
    /// Requests answered in the run.
    pub requests: u64,
    /// Answers with a status other than 2xx or 3xx (should be 0).
    pub errors: u64,
    /// Requests per second.
    pub requests_per_second: f64,
    /// Median latency, in milliseconds.
    pub p50_ms: f64,
    /// 90th percentile, in milliseconds.
    pub p90_ms: f64,
    /// 99th percentile, in milliseconds.
    pub p99_ms: f64,
}

/// What the load benchmark measured.
#[derive(Debug, Serialize)]
pub struct LoadResults {
    /// Facts stored from the documents in the served store.
    pub stored_facts: u64,
    /// Merged facts in the served store.
    pub merged_facts: u64,
    /// Seconds each endpoint was loaded.
    pub seconds: u32,
    /// Open connections `wrk` kept.
    pub connections: u32,
    /// One entry per endpoint.
    pub endpoints: Vec<EndpointLoad>,
}

/// Kills the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the load benchmark on the store in `dir` (`store.db`, built by
/// [`crate::store::run`]): `seconds` of load per endpoint over `connections`
/// connections.
pub fn run(dir: &Path, seconds: u32, connections: u32) -> Result<LoadResults> {
    let db = dir.join("store.db");
    if !db.is_file() {
        bail!(
            "no store at {}: run `sitrep bench --store N` first",
            db.display()
        );
    }
    match Command::new("wrk").arg("--version").output() {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("wrk is not installed (Debian: apt-get install wrk)")
        }
        Err(e) => return Err(e).context("cannot run wrk"),
    }

    let store = SqliteStore::open(&db)?;
    let counts = store.counts()?;
    let stored_facts = counts.stored_facts();
    let s = samples(&store)?;
    let documents = column(
        &store,
        "SELECT content_hash FROM documents ORDER BY random() LIMIT 200",
    )?;
    let facts = column(
        &store,
        "SELECT CAST(id AS TEXT) FROM facts WHERE kind IN ('event', 'meeting', 'quote', 'claim')
         ORDER BY random() LIMIT 200",
    )?;
    drop(store);

    let addr = free_port()?;
    let log = std::fs::File::create(dir.join("serve.log")).context("cannot create serve.log")?;
    let exe = std::env::current_exe().context("cannot find this program")?;
    let server = Server(
        Command::new(exe)
            .arg("serve")
            .arg("--db")
            .arg(&db)
            .arg("--addr")
            .arg(addr.to_string())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("cannot start sitrep serve")?,
    );
    wait_until_serving(addr)?;

    let mut endpoints = Vec::new();
    for (endpoint, paths) in rotations(&s, &documents, &facts) {
        eprintln!("bench: loading {endpoint} for {seconds} s");
        let script = dir.join("load.lua");
        std::fs::write(&script, lua_rotation(&paths))
            .with_context(|| format!("cannot write {}", script.display()))?;
        let wrk = |seconds: u32| {
            Command::new("wrk")
                .arg("-t1")
                .arg(format!("-c{connections}"))
                .arg(format!("-d{seconds}s"))
                .arg("--latency")
                .arg("-s")
                .arg(&script)
                .arg(format!("http://{addr}"))
                .output()
                .context("cannot run wrk")
        };
        // A second of warm-up, not counted: the first reads of a store just opened
        // (or just migrated) come from disk, which is not what a running server sees.
        wrk(1)?;
        let output = wrk(seconds)?;
        let text = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            bail!(
                "wrk failed on {endpoint}: {}{}",
                text,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let mut load = parse_wrk(&text).with_context(|| format!("wrk's report on {endpoint}"))?;
        load.endpoint = endpoint;
        load.variants = paths.len();
        endpoints.push(load);
    }
    drop(server);
    Ok(LoadResults {
        stored_facts,
        merged_facts: counts.merged_facts,
        seconds,
        connections,
        endpoints,
    })
}

/// The endpoints and the requests each is loaded with.
fn rotations(s: &Samples, documents: &[String], facts: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for kind in [
        "people", "quotes", "meetings", "events", "claims", "stories",
    ] {
        let base = format!("/api/v1/{kind}");
        let mut paths = vec![format!("{base}?limit=20")];
        let filters: [(&str, &[String]); 5] = [
            ("since", &s.days),
            ("country", &s.countries),
            ("place", &s.places),
            ("actor", &s.actors),
            ("q", &s.words),
        ];
        for (name, values) in filters {
            for value in values.iter().take(10) {
                paths.push(format!("{base}?limit=20&{name}={}", percent_encode(value)));
            }
        }
        out.push((base, paths));
    }
    out.push((
        "/api/v1/documents/{id}".to_owned(),
        documents
            .iter()
            .map(|id| format!("/api/v1/documents/{}", percent_encode(id)))
            .collect(),
    ));
    out.push((
        "/api/v1/facts/{id}/evidence".to_owned(),
        facts
            .iter()
            .map(|id| format!("/api/v1/facts/{id}/evidence"))
            .collect(),
    ));
    out.retain(|(_, paths)| !paths.is_empty());
    out
}

/// A query-string value with everything but unreserved ASCII escaped.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A `wrk` script that sends `paths` in turn, round and round.
fn lua_rotation(paths: &[String]) -> String {
    let mut lua = String::from("-- written by `sitrep bench --serve-load`\nlocal paths = {\n");
    for path in paths {
        // Paths are percent-encoded ASCII: no quote or backslash to escape.
        lua.push_str(&format!("  \"{path}\",\n"));
    }
    lua.push_str(
        "}\nlocal next_one = 0\nrequest = function()\n  next_one = next_one % #paths + 1\n  \
         return wrk.format(\"GET\", paths[next_one])\nend\n",
    );
    lua
}

/// An address on 127.0.0.1 that nothing listens on right now.
fn free_port() -> Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?)
}

/// Waits (up to a minute: opening a large store can take a while) until the server
/// answers a request.
fn wait_until_serving(addr: SocketAddr) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(mut stream) = TcpStream::connect(addr) {
            let request = "GET /api/v1/openapi.json HTTP/1.0\r\nHost: localhost\r\n\r\n";
            let mut answer = Vec::new();
            let answered = stream.write_all(request.as_bytes()).is_ok()
                && stream.read_to_end(&mut answer).is_ok();
            if answered
                && (answer.starts_with(b"HTTP/1.0 200") || answer.starts_with(b"HTTP/1.1 200"))
            {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("sitrep serve did not answer on {addr} within a minute")
}

/// Reads the figures out of `wrk --latency`'s report.
fn parse_wrk(report: &str) -> Result<EndpointLoad> {
    let mut load = EndpointLoad {
        endpoint: String::new(),
        variants: 0,
        requests: 0,
        errors: 0,
        requests_per_second: 0.0,
        p50_ms: f64::NAN,
        p90_ms: f64::NAN,
        p99_ms: f64::NAN,
    };
    let mut in_distribution = false;
    for line in report.lines().map(str::trim) {
        if line.starts_with("Latency Distribution") {
            in_distribution = true;
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(first), second) = (words.next(), words.next()) else {
            continue;
        };
        if in_distribution {
            match (first, second.map(duration_ms)) {
                ("50%", Some(Some(ms))) => load.p50_ms = ms,
                ("90%", Some(Some(ms))) => load.p90_ms = ms,
                ("99%", Some(Some(ms))) => {
                    load.p99_ms = ms;
                    in_distribution = false;
                }
                _ => {}
            }
        } else if second == Some("requests") {
            load.requests = first.parse().unwrap_or(0);
        } else if first == "Requests/sec:" {
            load.requests_per_second = second.and_then(|v| v.parse().ok()).unwrap_or(0.0);
        } else if line.starts_with("Non-2xx or 3xx responses:") {
            load.errors = line
                .rsplit(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
    }
    if load.p99_ms.is_nan() || load.requests == 0 {
        bail!("no latency distribution in:\n{report}");
    }
    Ok(load)
}

/// `812.00us`, `1.25ms` or `1.02s` in milliseconds.
fn duration_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    match unit {
        "us" => Some(value / 1000.0),
        "ms" => Some(value),
        "s" => Some(value * 1000.0),
        "m" => Some(value * 60_000.0),
        _ => None,
    }
}

/// The results as a Markdown section for `BENCHMARKS.md`.
pub fn markdown(r: &LoadResults) -> String {
    let mut md = format!(
        "## Serve: HTTP load\n\n`sitrep serve` on 127.0.0.1 over the store benchmark's \
         store ({} facts stored from the documents, {} merged facts), each endpoint loaded \
         by `wrk` for {} s over {} connections with a rotation of filters or ids.\n\n\
         | endpoint | variants | requests | errors | req/s | p50 ms | p90 ms | p99 ms |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
        r.stored_facts, r.merged_facts, r.seconds, r.connections
    );
    for e in &r.endpoints {
        md.push_str(&format!(
            "| `{}` | {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} |\n",
            e.endpoint,
            e.variants,
            e.requests,
            e.errors,
            e.requests_per_second,
            e.p50_ms,
            e.p90_ms,
            e.p99_ms
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 5s test @ http://127.0.0.1:40123
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    1.05ms  21.30ms   90.12%
    Req/Sec     1.90k   120.00     2.10k    70.00%
  Latency Distribution
     50%    1.95ms
     75%    2.40ms
     90%    3.10ms
     99%  812.00us
  9512 requests in 5.00s, 41.20MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   1902.40
Transfer/sec:      8.24MB
";

    #[test]
    fn reads_wrk_reports() {
        let load = parse_wrk(REPORT).unwrap();
        assert_eq!(load.requests, 9512);
        assert_eq!(load.errors, 3);
        assert!((load.requests_per_second - 1902.4).abs() < 1e-9);
        assert!((load.p50_ms - 1.95).abs() < 1e-9);
        assert!((load.p90_ms - 3.10).abs() < 1e-9);
        assert!((load.p99_ms - 0.812).abs() < 1e-9);
    }

    #[test]
    fn a_report_without_latencies_is_an_error() {
        assert!(parse_wrk("unable to connect to 127.0.0.1:1 Connection refused").is_err());
    }

    #[test]
    fn durations_in_every_unit() {
        assert_eq!(duration_ms("1.50s"), Some(1500.0));
        assert_eq!(duration_ms("250.00us"), Some(0.25));
        assert_eq!(duration_ms("3ms"), Some(3.0));
        assert_eq!(duration_ms("fast"), None);
    }

    #[test]
    fn query_values_are_escaped() {
        assert_eq!(percent_encode("Kryvyi Rih"), "Kryvyi%20Rih");
        assert_eq!(percent_encode("a&b=\"c\""), "a%26b%3D%22c%22");
        assert_eq!(percent_encode("Zaporizhzhia-2"), "Zaporizhzhia-2");
    }

    #[test]
    fn the_rotation_cycles_every_path() {
        let lua = lua_rotation(&["/a".to_owned(), "/b".to_owned()]);
        assert!(lua.contains("\"/a\",\n  \"/b\","));
        assert!(lua.contains("next_one % #paths + 1"));
    }
}
