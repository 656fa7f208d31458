#!/usr/bin/env python3
"""Builds tests/fixtures/entities/samples.bodies.jsonl: the clean body of each sample article.

The body of a sample is chosen by hand (see tests/fixtures/entities/README.md) and written here
as the first and last words of the article text inside the raw page; everything outside
(the date header, menus, title, standfirst, byline, photo captions, related links, appeals) is
boilerplate. Inside the body, lines are stripped and blank lines dropped, so paragraphs are
joined by a single "\\n" (a cleaner that keeps every non-blank line leaves such a body as it is).

Usage: scripts/entities/build_bodies.py [--check]   (from the repository root)
"""

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "examples" / "articles"
OUT = ROOT / "tests" / "fixtures" / "entities" / "samples.bodies.jsonl"

# id -> (first words of the body, last words of the body)
BODY_BOUNDS = {
    "000_1c3033acfb4f0b1c": (
        "Witkoff, who recently met",
        "Keith Kellogg, Trump's Ukraine envoy.",
    ),
    "001_8e9c1e1a53db4473": (
        # The second "US Secretary of State ..." paragraph; the first one is the standfirst.
        "US Secretary of State Marco Rubio and Steve Witkoff, President Donald Trump\u2019s special envoy for Ukraine and Gaza",
        "pause in tensions.\u201d",
    ),
    "002_bc85ecc0e13772df": (
        "U.S. Secretary of State Marco Rubio and Special Envoy",
        "readiness to commit thier troops.",
    ),
    "003_c841b23a78d9760a": (
        "US President Donald Trump\u2019s special envoy",
        "negotiated without its involvement.",
    ),
    "004_6bdcb3bbc48e2ea1": (
        # The body, not the standfirst ("Trump's Witkoff and Rubio are meeting ...").
        "US President Donald Trump\u2019s special envoy",
        "negotiated without its involvement.",
    ),
}

HEADER = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2}) ")


def body_of(raw: str, first: str, last: str) -> str:
    start = raw.index(first)
    end = raw.index(last, start) + len(last)
    lines = (line.strip() for line in raw[start:end].splitlines())
    return "\n".join(line for line in lines if line)


def build() -> str:
    out = []
    for doc_id, (first, last) in BODY_BOUNDS.items():
        raw = (ARTICLES / f"{doc_id}.txt").read_text(encoding="utf-8")
        m = HEADER.match(raw)
        if not m:
            raise SystemExit(f"{doc_id}: no date header")
        record = {"id": doc_id, "published": m.group(1), "text": body_of(raw, first, last)}
        out.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(out) + "\n"


def main() -> None:
    text = build()
    if "--check" in sys.argv[1:]:
        if OUT.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{OUT} is out of date: run {sys.argv[0]}")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
