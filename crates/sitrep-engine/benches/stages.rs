//! One micro-benchmark per pipeline stage on a fixed example article, for regressions:
//! `cargo bench -p sitrep-engine --bench stages`. Each stage gets the earlier stages'
//! output computed once, outside the timed loop. Short runs (10 samples, about a
//! second each): whole-pipeline figures come from `sitrep bench`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use sitrep_core::{SourceDoc, Span};
use sitrep_engine::extract::{claims, events, figures, lexicon, meetings, quotes};
use sitrep_engine::model::{DocView, TimeInfo};
use sitrep_engine::{recognise, resolve, Engine};

/// The fixed document: an example article (text + its publication day).
const ARTICLE: &str = include_str!("../../../examples/articles/khan-younis-strike-cairo-talks.txt");
const PUBLISHED: &str = "2025-08-13";

fn stages(c: &mut Criterion) {
    let normalized = sitrep_text::normalize(ARTICLE);
    let doc = SourceDoc {
        source: "khan-younis-strike-cairo-talks.txt".to_owned(),
        published: Some(PUBLISHED.to_owned()),
        language: "en".to_owned(),
        text: normalized.text,
        offsets: normalized.offsets,
        ..SourceDoc::default()
    };
    let published: Option<jiff::civil::Date> = PUBLISHED.parse().ok();
    let kb = sitrep_kb::Kb::embedded();
    let Ok(tagger) = sitrep_ner::Tagger::embedded() else {
        eprintln!("the embedded tagger does not load; no stage benchmarks");
        return;
    };

    // Every stage's input, computed once.
    let seg = sitrep_text::segment(&doc.text);
    let view = DocView {
        text: &doc.text,
        seg: &seg,
        published,
    };
    let names = recognise::tag_names(&view, tagger);
    let resolved = resolve::resolve(&view, &names, kb);
    let sentences: Vec<Span> = seg.sentences.iter().map(|s| s.span).collect();
    let times: Vec<TimeInfo> = sitrep_time::find_times(&doc.text, &sentences, published)
        .into_iter()
        .map(|t| TimeInfo {
            span: t.span,
            value: t.value.clone(),
            precision: t.precision.as_str().to_owned(),
            anchor: t.anchor.as_str().to_owned(),
        })
        .collect();
    let found_quotes = quotes::find_quotes(&view, &resolved.entities, &times);

    let mut g = c.benchmark_group("stage");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    g.bench_function("segment", |b| {
        b.iter(|| sitrep_text::segment(black_box(&doc.text)))
    });
    g.bench_function("tag_names", |b| {
        b.iter(|| recognise::tag_names(black_box(&view), tagger))
    });
    g.bench_function("resolve", |b| {
        b.iter(|| resolve::resolve(black_box(&view), &names, kb))
    });
    g.bench_function("time", |b| {
        b.iter(|| sitrep_time::find_times(black_box(&doc.text), &sentences, published))
    });
    g.bench_function("quotes", |b| {
        b.iter(|| quotes::find_quotes(black_box(&view), &resolved.entities, &times))
    });
    g.bench_function("lexicon_scan", |b| {
        b.iter(|| drop(lexicon::scan_document(black_box(&doc.text))))
    });
    // The fact stages read their lexicon hits from one scan per document, as in the
    // pipeline.
    let scan = lexicon::scan_document(&doc.text);
    g.bench_function("events", |b| {
        b.iter(|| {
            events::find_events(
                black_box(&view),
                &resolved.entities,
                &resolved.places,
                &times,
            )
        })
    });
    g.bench_function("meetings", |b| {
        b.iter(|| {
            meetings::find_meetings(
                black_box(&view),
                &resolved.entities,
                &resolved.places,
                &times,
            )
        })
    });
    g.bench_function("claims", |b| {
        b.iter(|| claims::find_claims(black_box(&view), &resolved.entities, &found_quotes))
    });
    g.bench_function("figures", |b| {
        b.iter(|| figures::find_figures(black_box(&view)))
    });
    drop(scan);
    g.finish();

    let engine = Engine::new();
    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    g.bench_function("extract", |b| b.iter(|| engine.extract(black_box(&doc))));
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
