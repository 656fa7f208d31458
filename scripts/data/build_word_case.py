#!/usr/bin/env python3
"""Builds data/lexicon/word_case.txt, the English words with their usual letter case that the
truecaser (crates/nlp/src/truecase.rs) reads, from SCOWL as Debian's `wamerican` ships it.

    apt-get install wamerican
    python3 scripts/data/build_word_case.py [/usr/share/dict/american-english] [data/lexicon/word_case.txt]

Rules (the Rust reader mirrors them; keep both in step):
* Possessives ("Paris's") are dropped; the reader strips them from the text.
* A word written only in lower case is a common word. Unless it is also listed with capitals,
  it is left out when one of its inflection bases (`bases`, same function as `inflection_bases` in truecase.rs) is already
  listed ("walked" -> "walk"), or when it ends in a derivational suffix the reader takes for a
  common word anyway (`COMMON_SUFFIXES`, `has_common_suffix` in truecase.rs).
* A word written with a capital ("Paris", "NATO", "McCain") is kept as written; a word in both
  cases ("Turkey", "turkey") is listed twice.
"""
import sys

COMMON_SUFFIXES = (
    "tion", "tions", "ment", "ments", "ness", "nesses", "ity", "ities", "ism", "isms",
    "ically", "ization", "izations", "ously", "ive", "ives", "ible", "able", "fully", "lessly",
    "ional", "ance", "ances", "ence", "ences", "ship", "ships", "ology", "ologies", "ical",
)
SUFFIX_MIN_LEN = 7

HEADER = """\
# English words with their usual letter case, for the truecaser (crates/nlp/src/truecase.rs):
# a word listed in lower case is a common word ("walk"), one listed with capitals is a name or
# acronym ("Paris", "NATO"); a word in both cases is listed twice ("turkey", "Turkey").
# Inflected forms whose base is listed ("walked") and words ending in a common derivational
# suffix ("-tion", "-ness"...) are left out: the reader derives them (rules in
# scripts/data/build_word_case.py and truecase.rs).
# Source: SCOWL (Spell Checker Oriented Word Lists) by Kevin Atkinson, as the Debian package
# wamerican 2020.12.07 ships it in /usr/share/dict/american-english (size 50 lists,
# proper names and abbreviations included); possessives dropped.
# Licence: SCOWL's permissive licence. Copyright 2000-2011 by Kevin Atkinson. "Permission to
# use, copy, modify, distribute and sell these word lists, the associated scripts, the output
# created from the scripts, and its documentation for any purpose is hereby granted without
# fee, provided that the above copyright notice appears in all copies and that both that
# copyright notice and this permission notice appear in supporting documentation. Kevin
# Atkinson makes no representations about the suitability of this array for any purpose. It
# is provided "as is" without express or implied warranty." (Parts: Copyright 1993 Alan Beale;
# Moby Words II, public domain; see /usr/share/doc/wamerican/copyright.)
# Regenerate: python3 scripts/data/build_word_case.py
# Format: one word per line.
"""


def bases(w):
    """Candidate base forms of an inflected lower-case word, in a fixed order."""
    out = []

    def add(stem, extra=""):
        if len(stem) >= 3:
            out.append(stem + extra)

    if w.endswith("ies"):
        add(w[:-3], "y")
    if w.endswith("es"):
        add(w[:-2])
    if w.endswith("s") and not w.endswith("ss"):
        add(w[:-1])
    if w.endswith("ied"):
        add(w[:-3], "y")
    if w.endswith("ed"):
        add(w[:-2])
        add(w[:-1])
    if w.endswith("ing"):
        add(w[:-3])
        add(w[:-3], "e")
    if w.endswith("er"):
        add(w[:-2])
        add(w[:-1])
    if w.endswith("est"):
        add(w[:-3])
        add(w[:-2])
    if w.endswith("ly"):
        add(w[:-2])
    for suf in ("ed", "ing", "er", "est"):
        if w.endswith(suf):
            stem = w[: -len(suf)]
            if len(stem) >= 4 and stem[-1] == stem[-2]:
                add(stem[:-1])
    return out


def has_common_suffix(w):
    return len(w) >= SUFFIX_MIN_LEN and w.endswith(COMMON_SUFFIXES)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/american-english"
    dst = sys.argv[2] if len(sys.argv) > 2 else "data/lexicon/word_case.txt"
    with open(src, encoding="utf-8") as f:
        words = sorted({w.strip() for w in f if w.strip() and not w.strip().endswith("'s")})
    lower = {w for w in words if w == w.lower()}
    cased = sorted(w for w in words if w != w.lower())
    cased_spellings = {w.lower() for w in cased}
    kept = set()
    for w in sorted(lower, key=lambda x: (len(x), x)):
        # a word also listed with capitals ("news", "NeWS") is kept: the reader would take the
        # capitalised form for the only one
        derivable = has_common_suffix(w) or any(b in kept for b in bases(w))
        if derivable and w not in cased_spellings:
            continue
        kept.add(w)
    # every lower-case word is found again by the reader's rules
    for w in lower:
        assert w in kept or has_common_suffix(w) or any(b in kept for b in bases(w)), w
    with open(dst, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for w in sorted(kept | set(cased)):
            f.write(w + "\n")


if __name__ == "__main__":
    main()
