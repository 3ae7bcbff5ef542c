//! The command line: every subcommand, its options and its `--help` example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turns news about wars and peace talks into structured, source-linked facts.
#[derive(Debug, Parser)]
#[command(name = "sitrep", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles and print one sitrep/1 record per document.
    #[command(after_help = "Examples:\n  \
        sitrep extract examples/articles/\n  \
        sitrep extract --format text examples/pages/geneva-talks.html\n  \
        curl -s https://example.org/feed.rss | sitrep extract -")]
    Extract(ExtractArgs),
    /// Read articles, extract their records and keep them in the store (a SQLite file),
    /// each distinct text once; failed inputs are recorded for `--retry-failed`.
    #[command(after_help = "Examples:\n  \
        sitrep ingest examples/articles/\n  \
        sitrep ingest --db news.db examples/batch.jsonl examples/feeds/\n  \
        cat today.jsonl | sitrep ingest --db news.db -\n  \
        sitrep ingest --db news.db --retry-failed\n  \
        sitrep extract today/ > today.jsonl && sitrep ingest --db news.db --records today.jsonl\n\n\
        Running it again on the same inputs stores nothing twice. Query the store with\n\
        sqlite3, e.g.: sqlite3 news.db \"SELECT text FROM quotes_fts WHERE quotes_fts MATCH 'ceasefire'\"")]
    Ingest(IngestArgs),
    /// List merged facts from the store (each with its sources and the fields outlets
    /// disagree on), or its stories.
    #[command(after_help = "Examples:\n  \
        sitrep ingest --db news.db examples/merge/coverage.jsonl\n  \
        sitrep query events --db news.db --format table\n  \
        sitrep query meetings --db news.db --since 2025-05-01 --place Istanbul\n  \
        sitrep query quotes --db news.db --actor Lysak --text 'rescue'\n  \
        sitrep query stories --db news.db\n  \
        sitrep query events --db news.db --limit 10 --after 2025-05-13/42")]
    Query(QueryArgs),
    /// Write a briefing from the store: timeline, who said what, claims and denials,
    /// casualty figures with their outlets, what is contested; every line cites sources.
    #[command(after_help = "Examples:\n  \
        sitrep report --db news.db --story 1\n  \
        sitrep report --db news.db --since 2025-05-01 --format html --output brief.html")]
    Report(ReportArgs),
    /// Serve the store over HTTP: merged facts, stories, documents and evidence as JSON
    /// under /api/v1 (OpenAPI at /api/v1/openapi.json); read-only unless a write token
    /// is given.
    #[command(after_help = "Examples:\n  \
        sitrep serve --db news.db\n  \
        sitrep serve --db news.db --addr 127.0.0.1:9000\n  \
        SITREP_WRITE_TOKEN=s3cret sitrep serve --db news.db\n  \
        sitrep serve --db news.db --write-token-file /run/secrets/sitrep-token\n\n\
        Then: curl 'http://127.0.0.1:8080/api/v1/events?country=UA&limit=5'")]
    Serve(ServeArgs),
    /// Score records against gold files (or run extract on the inputs and score that);
    /// `eval ner` and `eval time` score the tagger and the time stage on public gold sets.
    #[command(
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true,
        after_help = "Examples:\n  \
        sitrep extract examples/ > out.jsonl && sitrep eval examples/gold/ --against out.jsonl\n  \
        sitrep eval examples/gold/ --input examples/\n  \
        sitrep eval ner --iob2 ../shared/data/uner_en_ewt/en_ewt-ud-test.iob2\n  \
        sitrep eval time ../shared/data/tempeval3_platinum/te3-platinum"
    )]
    Eval(EvalCommand),
    /// Look things up in the knowledge base (places, countries, organisations, titles).
    #[command(subcommand)]
    Kb(KbCommand),
    /// Export records as JSON Lines, ACLED-style CSV (violent events) or GeoJSON (mapped facts).
    #[command(after_help = "Examples:\n  \
        sitrep extract examples/ > out.jsonl && sitrep export --format acled-csv --against out.jsonl\n  \
        sitrep export --format geojson --output facts.geojson examples/articles/\n  \
        sitrep export --format acled-csv --against <(sitrep extract examples/batch.jsonl)\n  \
        sitrep export --db news.db --format acled-csv --output merged-events.csv")]
    Export(ExportArgs),
    /// Measure speed, memory and accuracy on a generated news corpus (and against spaCy with --peer).
    #[command(after_help = "Examples:\n  \
        sitrep bench --smoke\n  \
        sitrep bench --words 1000000 --markdown BENCHMARKS.md --json bench/results/latest.json\n  \
        sitrep bench --peer --peer-script scripts/peer_spacy.sh --peer-repeats 1\n  \
        sitrep bench -j 1 --repeats 5 --seed 7 --examples examples --shared ../shared\n  \
        sitrep bench --smoke --write-corpus /tmp/corpus.jsonl\n  \
        sitrep bench --store 100000 --markdown store.md --json store.json\n  \
        sitrep bench --serve-load 10 --markdown load.md --json load.json")]
    Bench(BenchArgs),
}

/// `sitrep bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Size of the generated corpus, in words.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub words: usize,
    /// A tiny run for CI (about 20,000 words, one repeat, no spaCy): seconds, not minutes.
    #[arg(long)]
    pub smoke: bool,
    /// Timed runs per measurement; the median is reported.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub repeats: usize,
    /// Seed of the name, place and number substitutions that vary the examples.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads of the all-cores runs (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// The bundled example articles (and their `gold/`) the corpus is varied from.
    #[arg(long, value_name = "DIR", default_value = "examples")]
    pub examples: PathBuf,
    /// The shared folder with the `data/` gold sets and the `seed/` article; skipped when absent.
    #[arg(long, value_name = "DIR", default_value = "../shared")]
    pub shared: PathBuf,
    /// Also run spaCy en_core_web_sm on the same texts and gold sets (installed on first use).
    #[arg(long)]
    pub peer: bool,
    /// The script that sets up spaCy and measures it.
    #[arg(long, value_name = "FILE", default_value = "scripts/peer_spacy.sh")]
    pub peer_script: PathBuf,
    /// Timed spaCy runs per pipeline (one run over a million words takes minutes).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub peer_repeats: usize,
    /// Write the report as Markdown (ready for BENCHMARKS.md) to this file.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Write the figures as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Also write the generated corpus (sitrep JSON Lines input) to this file.
    #[arg(long, value_name = "FILE")]
    pub write_corpus: Option<PathBuf>,
    /// Instead: the store benchmark. Ingest N generated articles with `sitrep ingest`
    /// into a store under `target/bench-store/`, then time every `query` kind.
    #[arg(long, value_name = "N")]
    pub store: Option<usize>,
    /// With the store benchmark's store already built: time the queries again only.
    #[arg(long)]
    pub store_requery: bool,
    /// With the store benchmark's store already built: serve it with `sitrep serve` on
    /// 127.0.0.1 and load each main endpoint with `wrk` (Debian package `wrk`) for
    /// SECONDS, reporting p50, p90 and p99 latencies.
    #[arg(long, value_name = "SECONDS", num_args = 0..=1, default_missing_value = "10")]
    pub serve_load: Option<u32>,
    /// Connections `wrk` keeps open during `--serve-load`.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub load_connections: u32,
    /// Internal: run the pipeline over a JSON Lines corpus and print its peak memory.
    #[arg(long, value_name = "FILE", hide = true)]
    pub child_rss: Option<PathBuf>,
}

/// `sitrep kb …`.
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Every reading of a name, with its data; exits 1 when the name is unknown.
    #[command(
        after_help = "Examples:\n  sitrep kb lookup Marhanets\n  sitrep kb lookup --format json Georgia"
    )]
    Lookup {
        /// The name (several words are joined with spaces).
        #[arg(required = true)]
        name: Vec<String>,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
}

/// Output formats of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecordFormat {
    /// One JSON record per line.
    Jsonl,
    /// A pretty-printed JSON array of records.
    Json,
    /// A readable summary per document.
    Text,
}

/// Options shared by every command that reads articles.
#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// Publication date (YYYY-MM-DD) for plain-text inputs that do not state one.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// Largest document (or JSON line) accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 32 * 1024 * 1024)]
    pub max_bytes: usize,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
}

/// `sitrep extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files or folders to read (.txt with optional .meta.json, .html, .rss/.atom, .jsonl); `-` reads stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = RecordFormat::Jsonl)]
    pub format: RecordFormat,
    /// Also write failed inputs as JSON lines (`{"location", "reason"}`) to this file, for a retry.
    #[arg(long, value_name = "FILE")]
    pub failures: Option<PathBuf>,
    /// Reading options.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// What `sitrep query` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryWhat {
    /// Persons merged across documents: titles over time, side.
    People,
    /// Quotes with their speakers.
    Quotes,
    /// Meetings and talks: venue, status, participants.
    Meetings,
    /// Attacks and other violent events: place, date, casualties.
    Events,
    /// Claims, accusations and denials.
    Claims,
    /// Groups of documents about one story.
    Stories,
}

/// Filters shared by `query` and `report`.
#[derive(Debug, Args)]
pub struct StoreFilterArgs {
    /// The store: a SQLite file written by `sitrep ingest`.
    #[arg(long, value_name = "PATH", default_value = "./sitrep.db")]
    pub db: PathBuf,
    /// From this day on (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Up to this day (YYYY-MM-DD), inclusive.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Country (ISO 3166-1 alpha-2, e.g. UA): where it happened, or a person's side.
    #[arg(long, value_name = "CODE")]
    pub country: Option<String>,
    /// A place's name: events there, meetings held there.
    #[arg(long, value_name = "NAME")]
    pub place: Option<String>,
    /// Part of a person's or organisation's name: attacker, speaker, source, participant.
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// A story id (from `sitrep query stories`).
    #[arg(long, value_name = "ID")]
    pub story: Option<i64>,
    /// Full-text search (SQLite FTS5 syntax): over quotes, or the documents' text.
    #[arg(long, value_name = "QUERY")]
    pub text: Option<String>,
}

/// Output formats of `query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// One JSON object: `results` and the `next` cursor.
    Json,
    /// A table for people.
    Table,
}

/// `sitrep query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// What to list.
    #[arg(value_enum)]
    pub what: QueryWhat,
    /// Filters.
    #[command(flatten)]
    pub filter: StoreFilterArgs,
    /// At most this many results.
    #[arg(long, value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
    /// Continue after this cursor (the `next` of the previous page).
    #[arg(long, value_name = "CURSOR")]
    pub after: Option<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = QueryFormat::Json)]
    pub format: QueryFormat,
}

/// Formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BriefingFormat {
    /// Markdown.
    Md,
    /// A standalone HTML page.
    Html,
}

/// `sitrep report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Filters (usually `--story` or `--since`).
    #[command(flatten)]
    pub filter: StoreFilterArgs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = BriefingFormat::Md)]
    pub format: BriefingFormat,
    /// Write here instead of to stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `sitrep serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The store: a SQLite file written by `sitrep ingest`.
    #[arg(long, value_name = "PATH", default_value = "./sitrep.db")]
    pub db: PathBuf,
    /// Address to listen on.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// A file holding the bearer token that `POST /api/v1/documents` must present
    /// (else the environment variable SITREP_WRITE_TOKEN; without either, no writes).
    #[arg(long, value_name = "FILE")]
    pub write_token_file: Option<PathBuf>,
    /// Largest request body, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 16)]
    pub max_body_mib: usize,
    /// Longest time a request may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
}

/// `sitrep ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or folders to read (as `extract` reads them); `-` reads stdin.
    #[arg(value_name = "INPUT", required_unless_present_any = ["retry_failed", "records"])]
    pub inputs: Vec<PathBuf>,
    /// Store records already extracted (JSON Lines written by `sitrep extract`, e.g. on
    /// another machine) instead of reading articles.
    #[arg(long, value_name = "RECORDS.jsonl", conflicts_with_all = ["inputs", "retry_failed"])]
    pub records: Option<PathBuf>,
    /// The store: a SQLite file, created when missing.
    #[arg(long, value_name = "PATH", default_value = "./sitrep.db")]
    pub db: PathBuf,
    /// Also read again the inputs of failures recorded by earlier runs; those that now
    /// succeed are marked resolved.
    #[arg(long)]
    pub retry_failed: bool,
    /// Documents per transaction: an interruption loses at most the batch being written.
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub batch: u32,
    /// Reading options.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// Output formats of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A table for people.
    Table,
    /// JSON for machines.
    Json,
}

/// `sitrep eval` and its sub-evaluations.
#[derive(Debug, Args)]
pub struct EvalCommand {
    /// A component evaluation instead of the fact scorer.
    #[command(subcommand)]
    pub component: Option<EvalComponent>,
    /// The fact scorer's arguments.
    #[command(flatten)]
    pub facts: EvalArgs,
}

/// Component evaluations on public gold sets.
#[derive(Debug, Subcommand)]
pub enum EvalComponent {
    /// Entity-level exact-match P/R/F1 of the name tagger on IOB2/CoNLL files (gold tokens).
    #[command(
        after_help = "Examples:\n  sitrep eval ner --iob2 ../shared/data/uner_en_ewt/en_ewt-ud-test.iob2\n  \
            sitrep eval ner --through-pipeline --iob2 ../shared/data/uner_en_ewt/en_ewt-ud-test.iob2"
    )]
    Ner {
        /// IOB2 files: `index TAB token TAB tag …`, blank line between sentences.
        #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
        iob2: Vec<PathBuf>,
        /// Score the names of the whole pipeline's record (entity and place mentions;
        /// adjective forms such as "Chinese" left out) instead of the tagger alone.
        #[arg(long)]
        through_pipeline: bool,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Quotes found and speakers right on PolNeAR (brat attributions over real news).
    #[command(after_help = "Examples:\n  \
        sitrep eval attribution ../shared/data/polnear/data/dev\n  \
        sitrep eval attribution --format json ../shared/data/polnear/data/train")]
    Attribution {
        /// A PolNeAR split folder with `text/*.txt` and `attributions/*.ann`.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Detection (strict, relaxed) and value accuracy of time expressions on TimeML files.
    #[command(
        after_help = "Example:\n  sitrep eval time ../shared/data/tempeval3_platinum/te3-platinum"
    )]
    Time {
        /// A folder of TimeML (`.tml`) files.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
}

/// `sitrep eval` on gold fact files.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold files (`*.gold.json`) or folders of them.
    #[arg(required = true, value_name = "GOLD")]
    pub gold: Vec<PathBuf>,
    /// Records to score (JSON Lines written by `sitrep extract`).
    #[arg(long, value_name = "RECORDS.jsonl", conflicts_with = "input")]
    pub against: Option<PathBuf>,
    /// Articles to extract and score, instead of `--against`.
    #[arg(long, value_name = "INPUT", num_args = 1..)]
    pub input: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// List every missed or wrong fact.
    #[arg(long, short)]
    pub verbose: bool,
    /// Reading options (with `--input`).
    #[command(flatten)]
    pub read: ReadArgs,
}

/// Formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The records as they are, one per line.
    Jsonl,
    /// One row per violent event in ACLED's column layout.
    AcledCsv,
    /// A FeatureCollection with a Point per event or meeting whose place has coordinates.
    Geojson,
}

/// `sitrep export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Articles to run the pipeline on, instead of `--against` (as `extract` reads them).
    #[arg(
        value_name = "INPUT",
        required_unless_present_any = ["against", "db"],
        conflicts_with_all = ["against", "db"]
    )]
    pub inputs: Vec<PathBuf>,
    /// Records to export (JSON Lines written by `sitrep extract`).
    #[arg(long, value_name = "RECORDS.jsonl", conflicts_with = "db")]
    pub against: Option<PathBuf>,
    /// Export the merged facts of a store (written by `sitrep ingest`) instead of
    /// records: one JSON line per merged fact, one ACLED row per merged attack (all its
    /// outlets in `source`, its disputes in `notes`), or a map feature per merged attack
    /// and meeting.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,
    /// Write here instead of to stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Reading options (with INPUT).
    #[command(flatten)]
    pub read: ReadArgs,
}
