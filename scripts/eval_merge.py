#!/usr/bin/env python3
"""How sitrep merges real coverage: ingest eval/merge-real/cache into a fresh store and
compare its merged attacks and meetings with eval/merge-real/gold.json.

For every gold event: the merged fact that holds most of its documents, how many of
them it holds (completeness), and how many of its documents belong to no gold event of
that fact or to another one (purity). For every `different` pair: whether the two
documents' facts were kept apart. Prints a Markdown table for BENCHMARKS.md.

Usage: python3 scripts/eval_merge.py [--sitrep target/release/sitrep]
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SET = os.path.join(ROOT, "eval", "merge-real")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sitrep", default=os.path.join(ROOT, "target", "release", "sitrep"))
    args = parser.parse_args()
    cache = os.path.join(SET, "cache")
    if not os.path.isdir(cache):
        print(f"{cache} is absent: re-cache it as eval/merge-real/README.md says", file=sys.stderr)
        return 0
    gold = json.load(open(os.path.join(SET, "gold.json")))
    url_of = {d["id"]: d["url"] for d in gold["documents"]}

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "merge.db")
        subprocess.run([args.sitrep, "ingest", "--db", db, cache], check=True,
                       stdout=subprocess.DEVNULL)
        conn = sqlite3.connect(db)
        doc_of_url = dict(conn.execute("SELECT url, document_id FROM sources"))
        doc = {gid: doc_of_url.get(url) for gid, url in url_of.items()}

        def facts_of(table, kind):
            rows = conn.execute(
                f"SELECT t.fact_id, t.document_id FROM {table} t "
                f"JOIN facts f ON f.id = t.fact_id WHERE f.kind = ?", (kind,))
            out = {}
            for fact, document in rows:
                out.setdefault(fact, set()).add(document)
            return out

        merged = {"attack": facts_of("events", "event"), "meeting": facts_of("meetings", "meeting")}
        event_docs = {}
        for event in gold["events"]:
            for gid in event["documents"]:
                event_docs.setdefault(doc[gid], set()).add(event["name"])

        print("| gold event | outlets | best merged fact holds | other facts of these documents | foreign documents in the best fact |")
        print("|---|---:|---:|---:|---:|")
        held, total = 0, 0
        for event in gold["events"]:
            docs = {doc[g] for g in event["documents"] if doc.get(g)}
            facts = merged[event["kind"]]
            touching = {f: members & docs for f, members in facts.items() if members & docs}
            if not touching:
                best, hold = None, set()
            else:
                best = max(touching, key=lambda f: len(touching[f]))
                hold = touching[best]
            foreign = {d for d in facts.get(best, set()) if event["name"] not in event_docs.get(d, set())}
            held += len(hold)
            total += len(docs)
            print(f"| {event['name'][:60]} ({event['date']}) | {len(docs)} | {len(hold)} | "
                  f"{max(len(touching) - 1, 0)} | {len(foreign)} |")
        apart = 0
        for a, b in gold["different"]:
            da, db_ = doc[a], doc[b]
            shared = [f for kind in merged.values() for f, m in kind.items() if da in m and db_ in m]
            # Two documents about different events may still share a fact they both
            # recall (an earlier strike); count the pair apart when no fact of the
            # events they are about joins them.
            apart += not shared
        print()
        print(f"documents of each gold event in its best merged fact: {held}/{total} = {held / max(total, 1):.2f}")
        print(f"pairs about different events kept apart: {apart}/{len(gold['different'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
