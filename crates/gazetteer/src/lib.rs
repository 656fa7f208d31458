//! Countries, demonyms, cities, regions, geographic features, organisations and known actors,
//! loaded from the TSV files under `data/` and matched in text.
//!
//! The data (sources, licences, formats and how to regenerate it: `data/README.md`) is compiled
//! into the binary and parsed once ([`Gazetteer::embedded`]); the same layout can be read from a
//! directory ([`Gazetteer::load_dir`]) and users can add their own actors without recompiling
//! ([`Gazetteer::add_actors_file`]).
//!
//! # Model
//! * Every known thing is an [`Entry`] with a stable [`Entry::key`] (`iso:FRA`, `demonym:FRA`,
//!   `geonames:2988507`, `region:ukr-donetsk`, `feature:gaza-strip`, `org:nato`,
//!   `actor:emmanuel-macron`), a [`Kind`], a canonical name, aliases and a [`Entry::prior`].
//! * A [`Country`] ties its country entry, its demonym entry and its capital together. The
//!   capital's city entry records [`Entry::capital_of`], so "Moscow" can be read as a government
//!   by the caller when context says so.
//! * Priors (higher first): countries 100, demonyms 95, organisations 90, actors 85, capitals 80,
//!   regions and features 60, other cities `30 + 5·log10(population)` (so a city of a million
//!   people ties a region, a city of 15,000 scores about 51). Candidates are always ordered by
//!   prior, then by entry id. Telling "Jordan" the person from the country or "Washington" the
//!   government from the city is left to the caller's context rules.
//!
//! # Matching rules
//! * [`Gazetteer::lookup`] is exact: case-sensitive for a mixed-case surface, case-insensitive
//!   when the surface has no lower-case letter ("NATO", "UKRAINE"); a trailing possessive
//!   (`'s`, `’s`, or a bare `'`/`’` after `s`) is removed first.
//! * [`Gazetteer::find`] returns leftmost-longest, non-overlapping matches whose ends fall on
//!   word boundaries (a letter or digit on both sides of an end is no boundary). A possessive is
//!   **outside** the span: in "Ukraine's army" the match is "Ukraine". Matching is case-sensitive
//!   ("Nice" the city, never "nice"), except inside runs of ALL-CAPS words (headlines,
//!   datelines such as "KYIV, Ukraine"), which are matched case-insensitively.
//! * Names of cities and generated regions that are common lower-case English words ("Mobile",
//!   "Split", "Police", "Reading": the generated list `data/gazetteer/stopnames.txt`) are not
//!   matched by `find` for those entries; countries, demonyms, organisations, curated features
//!   and actors with the same surface still are, and `lookup` returns everything.

mod filter;
mod matcher;
mod tsv;

use filter::BitFilter;
use rustc_hash::FxBuildHasher;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use matcher::{Matcher, PatternSet};
use tsv::{Row, Table};

/// The index of an [`Entry`] in its [`Gazetteer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub u32);

impl EntryId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A sovereign state or territory with an ISO 3166 code.
    Country,
    /// The adjective or noun for a country's people ("French", "Emirati").
    Demonym,
    /// A populated place (GeoNames, population >= 15,000, plus capitals).
    City,
    /// A first-level administrative division ("Donetsk Oblast", "California").
    Region,
    /// A territory, region or physical feature that recurs in news ("Gaza Strip", "Red Sea").
    Feature,
    /// An international organisation, government body, armed group, party, company...
    Organization,
    /// A known person (head of state, minister, envoy).
    Actor,
}

impl Kind {
    /// The lower-case name used in data files and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::Demonym => "demonym",
            Kind::City => "city",
            Kind::Region => "region",
            Kind::Feature => "feature",
            Kind::Organization => "organization",
            Kind::Actor => "actor",
        }
    }
}

/// One known thing and everything the data says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its index in the gazetteer.
    pub id: EntryId,
    /// Stable identifier across data releases (`iso:FRA`, `geonames:2988507`, `org:nato`, ...).
    pub key: String,
    /// What it is.
    pub kind: Kind,
    /// Canonical name.
    pub name: String,
    /// Other names it is matched by (ASCII spellings, exonyms, acronyms, demonym variants).
    pub aliases: Vec<String>,
    /// ISO 3166 alpha-3 of the country it belongs to (its own code for a country).
    pub country: Option<String>,
    /// Latitude in degrees (a capital's for none; a country's is its centroid).
    pub lat: Option<f64>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
    /// Population where known.
    pub population: Option<u64>,
    /// ISO3 of the country whose capital this city is.
    pub capital_of: Option<String>,
    /// First-level administrative division code (GeoNames admin1) of a city.
    pub admin1: Option<String>,
    /// A region's or feature's type (`state`, `oblast`, `province`, `territory`, `sea`, `river`...).
    pub place_type: Option<String>,
    /// An actor's role ("president", "foreign minister", "special envoy").
    pub role: Option<String>,
    /// An organisation's kind (`igo`, `government_body`, `armed_group`, `party`, `ngo`,
    /// `company`, `court`, `media`, ...).
    pub org_kind: Option<String>,
    /// An actor's role start (ISO date, as precise as known), if recorded.
    pub valid_from: Option<String>,
    /// An actor's role end (ISO date), if the role has ended.
    pub valid_to: Option<String>,
    /// How likely this reading is a priori, higher first (see the crate docs).
    pub prior: f32,
}

impl Entry {
    fn new(key: String, kind: Kind, name: String) -> Self {
        Entry {
            id: EntryId(0),
            key,
            kind,
            name,
            aliases: Vec::new(),
            country: None,
            lat: None,
            lon: None,
            population: None,
            capital_of: None,
            admin1: None,
            place_type: None,
            role: None,
            org_kind: None,
            valid_from: None,
            valid_to: None,
            prior: 0.0,
        }
    }

    fn compute_prior(&self) -> f32 {
        match self.kind {
            Kind::Country => 100.0,
            Kind::Demonym => 95.0,
            Kind::Organization => 90.0,
            Kind::Actor => 85.0,
            Kind::City if self.capital_of.is_some() => 80.0,
            Kind::Region | Kind::Feature => 60.0,
            Kind::City => {
                let pop = self.population.unwrap_or(1).max(1) as f64;
                (30.0 + 5.0 * pop.log10()) as f32
            }
        }
    }
}

/// A country and the entries that stand for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub iso2: String,
    /// ISO 3166-1 alpha-3.
    pub iso3: String,
    /// Common short name ("France").
    pub name: String,
    /// Official long name ("French Republic"), when the data has one.
    pub official_name: Option<String>,
    /// Other names ("UK", "Britain", "Ivory Coast").
    pub aliases: Vec<String>,
    /// Adjectives and nouns for its people ("French", "Frenchman").
    pub demonyms: Vec<String>,
    /// The [`Kind::Country`] entry.
    pub entry: EntryId,
    /// The [`Kind::Demonym`] entry, if the country has demonyms.
    pub demonym_entry: Option<EntryId>,
    /// The capital's [`Kind::City`] entry (with `capital_of` set).
    pub capital: Option<EntryId>,
}

/// A name found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Byte offset of the first byte of the name.
    pub start: usize,
    /// Byte offset just past the name (a possessive `'s` is not included).
    pub end: usize,
    /// Every entry with this name, best prior first.
    pub candidates: Vec<EntryId>,
}

/// Why data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file is malformed; `line` is 1-based.
    #[error("{file}:{line}: {message}")]
    Parse {
        /// The file (path or embedded name).
        file: String,
        /// The line (1-based).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The matcher could not be built (too many or too long names).
    #[error("cannot build the name matcher: {0}")]
    Matcher(#[from] aho_corasick::BuildError),
}

/// Files under a data directory, relative to it, in the order they are loaded.
pub const DATA_FILES: [&str; 7] = [
    "gazetteer/cities.tsv",
    "gazetteer/regions.tsv",
    "gazetteer/features.tsv",
    "gazetteer/organizations.tsv",
    "gazetteer/countries.tsv",
    "gazetteer/stopnames.txt",
    "actors/actors.tsv",
];

const EMBEDDED_FILES: [&str; 7] = [
    include_str!("../../../data/gazetteer/cities.tsv"),
    include_str!("../../../data/gazetteer/regions.tsv"),
    include_str!("../../../data/gazetteer/features.tsv"),
    include_str!("../../../data/gazetteer/organizations.tsv"),
    include_str!("../../../data/gazetteer/countries.tsv"),
    include_str!("../../../data/gazetteer/stopnames.txt"),
    include_str!("../../../data/actors/actors.tsv"),
];

/// The loaded data and its matcher. Cheap to share (`&'static` via [`Gazetteer::embedded`]).
pub struct Gazetteer {
    entries: Vec<Entry>,
    countries: Vec<Country>,
    country_index: HashMap<String, usize, FxBuildHasher>,
    key_index: HashMap<String, EntryId, FxBuildHasher>,
    stop_names: HashSet<String>,
    /// Exact surface -> entries (all of them, for `lookup`).
    exact: HashMap<String, Vec<EntryId>, FxBuildHasher>,
    /// The keys of `exact` and of `upper`, as bit filters consulted first.
    exact_filter: BitFilter,
    upper_filter: BitFilter,
    /// Upper-cased surface -> entries.
    upper: HashMap<String, Vec<EntryId>, FxBuildHasher>,
    matcher: Matcher,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("entries", &self.entries.len())
            .field("countries", &self.countries.len())
            .field("names", &self.exact.len())
            .finish()
    }
}

/// The compiled-in data files, named as in the repository.
fn embedded_texts() -> Vec<(String, &'static str)> {
    DATA_FILES
        .iter()
        .zip(EMBEDDED_FILES)
        .map(|(name, text)| (format!("data/{name}"), text))
        .collect()
}

/// The process's gazetteer when one other than the embedded data was installed.
static INSTALLED: OnceLock<Gazetteer> = OnceLock::new();

impl Gazetteer {
    /// The data files compiled into the binary, parsed on first use and shared.
    ///
    /// # Panics
    /// Never with the shipped data: a unit test loads it. The data is a compile-time constant,
    /// not input.
    pub fn embedded() -> &'static Gazetteer {
        static EMBEDDED: OnceLock<Gazetteer> = OnceLock::new();
        EMBEDDED.get_or_init(|| match Gazetteer::from_texts(&embedded_texts()) {
            Ok(g) => g,
            Err(e) => panic!("embedded gazetteer data is invalid: {e}"),
        })
    }

    /// The gazetteer this process uses: the one given to [`Gazetteer::install`] at start, else
    /// [`Gazetteer::embedded`].
    pub fn global() -> &'static Gazetteer {
        INSTALLED.get().unwrap_or_else(|| Gazetteer::embedded())
    }

    /// Makes `g` the process's gazetteer (a regenerated `data/` directory, the user's extra
    /// actors). Call it once at start, before any text is analysed; it fails, giving `g` back,
    /// if a gazetteer was already installed.
    pub fn install(g: Gazetteer) -> Result<(), Box<Gazetteer>> {
        INSTALLED.set(g).map_err(Box::new)
    }

    /// The gazetteer a service or command runs with: `data_dir` instead of the compiled-in
    /// files when given, plus every extra actors file; installed as the process's gazetteer
    /// when anything differs from the embedded data. Returns the number of extra actors.
    pub fn configure(data_dir: Option<&Path>, actors: &[PathBuf]) -> Result<usize, GazetteerError> {
        if data_dir.is_none() && actors.is_empty() {
            return Ok(0);
        }
        let mut g = match data_dir {
            Some(dir) => Gazetteer::load_dir(dir)?,
            None => Gazetteer::from_texts(&embedded_texts())?,
        };
        let mut added = 0;
        for path in actors {
            added += g.add_actors_file(path)?;
        }
        // A second configuration in one process keeps the first (tests call this repeatedly).
        let _ = Gazetteer::install(g);
        Ok(added)
    }

    /// Loads the files of [`DATA_FILES`] from `dir`, a directory laid out like `data/`.
    pub fn load_dir(dir: &Path) -> Result<Gazetteer, GazetteerError> {
        let mut texts = Vec::with_capacity(DATA_FILES.len());
        for name in DATA_FILES {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|source| GazetteerError::Io {
                path: path.clone(),
                source,
            })?;
            texts.push((path.display().to_string(), text));
        }
        let borrowed: Vec<(String, &str)> =
            texts.iter().map(|(n, t)| (n.clone(), t.as_str())).collect();
        Gazetteer::from_texts(&borrowed)
    }

    /// Adds the actors of an extra TSV in the `actors.tsv` format; returns how many were added.
    /// An id already known is an error (the file is then not applied at all).
    pub fn add_actors_file(&mut self, path: &Path) -> Result<usize, GazetteerError> {
        let text = std::fs::read_to_string(path).map_err(|source| GazetteerError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.add_actors_text(&path.display().to_string(), &text)
    }

    /// Like [`Gazetteer::add_actors_file`] for text already in memory; `file` names it in errors.
    pub fn add_actors_text(&mut self, file: &str, text: &str) -> Result<usize, GazetteerError> {
        let table = Table::parse(file, text, ACTOR_COLUMNS)?;
        let mut new = Vec::new();
        let mut keys = HashSet::new();
        for row in table.rows() {
            let entry = actor_entry(&row)?;
            if self.key_index.contains_key(&entry.key) || !keys.insert(entry.key.clone()) {
                return Err(row.error(format!("duplicate actor id `{}`", entry.key)));
            }
            new.push(entry);
        }
        let added = new.len();
        for entry in new {
            self.push(entry);
        }
        self.finish()?;
        Ok(added)
    }

    /// Every entry whose name or alias is exactly `surface` (after removing a possessive),
    /// case-sensitive for a mixed-case surface and case-insensitive for one without lower-case
    /// letters; best prior first. When nothing matches, a leading "the " is dropped and the rest
    /// looked up ("the US").
    pub fn lookup(&self, surface: &str) -> Vec<&Entry> {
        self.lookup_ids(surface)
            .iter()
            .map(|id| self.entry(*id))
            .collect()
    }

    /// The ids of [`Gazetteer::lookup`]'s entries, in the same order, without allocating.
    pub fn lookup_ids(&self, surface: &str) -> &[EntryId] {
        let surface = strip_possessive(surface.trim());
        let found = self.lookup_exact(surface);
        if !found.is_empty() {
            return found;
        }
        // "the US", "The Hague": names are stored without a leading article unless it is part
        // of the name.
        match surface
            .strip_prefix("the ")
            .or_else(|| surface.strip_prefix("The "))
            .or_else(|| surface.strip_prefix("THE "))
        {
            Some(rest) => self.lookup_exact(rest.trim_start()),
            None => found,
        }
    }

    fn lookup_exact(&self, surface: &str) -> &[EntryId] {
        let upper_get = |u: &str| {
            self.upper_filter
                .may_contain(u.as_bytes())
                .then(|| self.upper.get(u))
                .flatten()
        };
        let has_lower = if surface.is_ascii() {
            surface.bytes().any(|b| b.is_ascii_lowercase())
        } else {
            surface.chars().any(char::is_lowercase)
        };
        let ids = if has_lower {
            self.exact_filter
                .may_contain(surface.as_bytes())
                .then(|| self.exact.get(surface))
                .flatten()
        } else if surface.is_ascii() && surface.len() <= 64 {
            // the upper-case form without allocating (ASCII: `to_uppercase` is this)
            let mut buf = [0u8; 64];
            let upper = &mut buf[..surface.len()];
            upper.copy_from_slice(surface.as_bytes());
            upper.make_ascii_uppercase();
            std::str::from_utf8(upper).ok().and_then(upper_get)
        } else {
            upper_get(&surface.to_uppercase())
        };
        ids.map(Vec::as_slice).unwrap_or_default()
    }

    /// All leftmost-longest matches in `text` on word boundaries, byte offsets, possessives
    /// outside the span; see the crate docs for the rules.
    pub fn find(&self, text: &str) -> Vec<Match> {
        self.matcher.find(text, |id| self.entries[id.index()].prior)
    }

    /// The country with ISO 3166 alpha-3 (or alpha-2) code `code`, any case.
    pub fn country(&self, code: &str) -> Option<&Country> {
        let code = code.to_ascii_uppercase();
        self.country_index.get(&code).map(|i| &self.countries[*i])
    }

    /// The entry `id` of this gazetteer.
    ///
    /// # Panics
    /// If `id` comes from another gazetteer with more entries.
    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.entries[id.index()]
    }

    /// The entry with stable key `key` (`iso:FRA`, `org:nato`, `actor:emmanuel-macron`).
    pub fn by_key(&self, key: &str) -> Option<&Entry> {
        self.key_index.get(key).map(|id| self.entry(*id))
    }

    /// All entries, in id order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// All countries.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// Whether `name` is on the stop list (a common English word not matched as a city or
    /// generated region by [`Gazetteer::find`]).
    pub fn is_stop_name(&self, name: &str) -> bool {
        self.stop_names.contains(name)
    }

    /// Number of entries of each kind.
    pub fn counts(&self) -> Vec<(Kind, usize)> {
        let kinds = [
            Kind::Country,
            Kind::Demonym,
            Kind::City,
            Kind::Region,
            Kind::Feature,
            Kind::Organization,
            Kind::Actor,
        ];
        kinds
            .iter()
            .map(|k| (*k, self.entries.iter().filter(|e| e.kind == *k).count()))
            .collect()
    }

    fn empty() -> Result<Gazetteer, GazetteerError> {
        Ok(Gazetteer {
            entries: Vec::new(),
            countries: Vec::new(),
            country_index: HashMap::default(),
            key_index: HashMap::default(),
            stop_names: HashSet::new(),
            exact: HashMap::default(),
            upper: HashMap::default(),
            exact_filter: BitFilter::default(),
            upper_filter: BitFilter::default(),
            matcher: Matcher {
                exact: PatternSet::new(Vec::new()),
                upper: PatternSet::new(Vec::new()),
            },
        })
    }

    /// Builds from the texts of [`DATA_FILES`], in that order, each with the name used in errors.
    // long: the seven data files parsed in their fixed order, one block each, into one entry
    // table; split, each block would take the half-built table and the same error plumbing.
    fn from_texts(files: &[(String, &str)]) -> Result<Gazetteer, GazetteerError> {
        let [cities, regions, features, orgs, countries, stop, actors] = files else {
            return Err(GazetteerError::Parse {
                file: "<data>".into(),
                line: 0,
                message: format!("expected {} files", DATA_FILES.len()),
            });
        };
        let mut g = Gazetteer::empty()?;
        let mut by_geonames: HashMap<u64, EntryId> = HashMap::new();

        let table = Table::parse(&cities.0, cities.1, CITY_COLUMNS)?;
        for row in table.rows() {
            let gid: u64 = row
                .parsed("geonames_id")?
                .ok_or_else(|| row.error("empty required field `geonames_id`".into()))?;
            let mut e = Entry::new(
                format!("geonames:{gid}"),
                Kind::City,
                row.required("name")?.into(),
            );
            e.aliases = row
                .list("ascii_name")
                .into_iter()
                .chain(row.list("alt_names"))
                .map(String::from)
                .collect();
            e.country = row.get("country").map(String::from);
            e.admin1 = row.get("admin1").map(String::from);
            e.lat = row.parsed("lat")?;
            e.lon = row.parsed("lon")?;
            e.population = row.parsed("population")?;
            let id = g.push_checked(e, &row)?;
            by_geonames.insert(gid, id);
        }
        for (file, kind) in [(regions, Kind::Region), (features, Kind::Feature)] {
            let table = Table::parse(&file.0, file.1, PLACE_COLUMNS)?;
            for row in table.rows() {
                let mut e = Entry::new(
                    row.required("key")?.into(),
                    kind,
                    row.required("name")?.into(),
                );
                e.aliases = row.list("aliases").into_iter().map(String::from).collect();
                e.country = row.get("country").map(String::from);
                e.lat = row.parsed("lat")?;
                e.lon = row.parsed("lon")?;
                e.population = row.parsed("population")?;
                e.place_type = row.get("type").map(String::from);
                g.push_checked(e, &row)?;
            }
        }
        let table = Table::parse(&orgs.0, orgs.1, ORG_COLUMNS)?;
        for row in table.rows() {
            let mut e = Entry::new(
                row.required("key")?.into(),
                Kind::Organization,
                row.required("name")?.into(),
            );
            e.aliases = row.list("aliases").into_iter().map(String::from).collect();
            e.org_kind = row.get("org_kind").map(String::from);
            e.country = row.get("country").map(String::from);
            g.push_checked(e, &row)?;
        }
        let table = Table::parse(&countries.0, countries.1, COUNTRY_COLUMNS)?;
        for row in table.rows() {
            g.push_country(&row, &by_geonames)?;
        }
        g.stop_names = stop
            .1
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        let table = Table::parse(&actors.0, actors.1, ACTOR_COLUMNS)?;
        for row in table.rows() {
            let e = actor_entry(&row)?;
            g.push_checked(e, &row)?;
        }
        g.finish()?;
        Ok(g)
    }

    fn push_country(
        &mut self,
        row: &Row<'_, '_>,
        by_geonames: &HashMap<u64, EntryId>,
    ) -> Result<(), GazetteerError> {
        let iso2 = row.required("iso2")?.to_ascii_uppercase();
        let iso3 = row.required("iso3")?.to_ascii_uppercase();
        let name = row.required("name")?.to_string();
        let official_name = row.get("official_name").map(String::from);
        let aliases: Vec<String> = row.list("aliases").into_iter().map(String::from).collect();
        let demonyms: Vec<String> = row.list("demonyms").into_iter().map(String::from).collect();

        let mut e = Entry::new(format!("iso:{iso3}"), Kind::Country, name.clone());
        e.aliases = official_name
            .iter()
            .cloned()
            .chain(aliases.iter().cloned())
            .collect();
        e.country = Some(iso3.clone());
        e.lat = row.parsed("lat")?;
        e.lon = row.parsed("lon")?;
        e.population = row.parsed("population")?;
        let entry = self.push_checked(e, row)?;

        let demonym_entry = match demonyms.split_first() {
            Some((first, rest)) => {
                let mut d = Entry::new(format!("demonym:{iso3}"), Kind::Demonym, first.clone());
                d.aliases = rest.to_vec();
                d.country = Some(iso3.clone());
                Some(self.push_checked(d, row)?)
            }
            None => None,
        };

        let capital_gid: Option<u64> = row.parsed("capital_geonames_id")?;
        let capital = match (
            capital_gid.and_then(|g| by_geonames.get(&g)),
            row.get("capital"),
        ) {
            (Some(id), _) => Some(*id),
            (None, Some(cap)) => {
                // A capital below the cities' population threshold: an entry of its own.
                let key = match capital_gid {
                    Some(g) => format!("geonames:{g}"),
                    None => format!("capital:{iso3}"),
                };
                let mut c = Entry::new(key, Kind::City, cap.to_string());
                c.country = Some(iso3.clone());
                c.lat = row.parsed("capital_lat")?;
                c.lon = row.parsed("capital_lon")?;
                Some(self.push_checked(c, row)?)
            }
            (None, None) => None,
        };
        if let Some(id) = capital {
            self.entries[id.index()].capital_of = Some(iso3.clone());
        }
        let index = self.countries.len();
        for code in [&iso2, &iso3] {
            if self.country_index.insert(code.clone(), index).is_some() {
                return Err(row.error(format!("duplicate country code `{code}`")));
            }
        }
        self.countries.push(Country {
            iso2,
            iso3,
            name,
            official_name,
            aliases,
            demonyms,
            entry,
            demonym_entry,
            capital,
        });
        Ok(())
    }

    fn push_checked(&mut self, entry: Entry, row: &Row<'_, '_>) -> Result<EntryId, GazetteerError> {
        if self.key_index.contains_key(&entry.key) {
            return Err(row.error(format!("duplicate id `{}`", entry.key)));
        }
        Ok(self.push(entry))
    }

    fn push(&mut self, mut entry: Entry) -> EntryId {
        let id = EntryId(self.entries.len() as u32);
        entry.id = id;
        self.key_index.insert(entry.key.clone(), id);
        self.entries.push(entry);
        id
    }

    /// Computes priors, indexes every name and (re)builds the matcher.
    fn finish(&mut self) -> Result<(), GazetteerError> {
        for e in &mut self.entries {
            e.prior = e.compute_prior();
        }
        self.exact.clear();
        self.upper.clear();
        for e in &self.entries {
            for surface in surfaces(e) {
                let upper = surface.to_uppercase();
                add_id(self.exact.entry(surface).or_default(), e.id);
                add_id(self.upper.entry(upper).or_default(), e.id);
            }
        }
        let entries = &self.entries;
        let by_prior = |a: &EntryId, b: &EntryId| {
            entries[b.index()]
                .prior
                .total_cmp(&entries[a.index()].prior)
                .then(a.cmp(b))
        };
        for ids in self.exact.values_mut().chain(self.upper.values_mut()) {
            ids.sort_by(by_prior);
        }
        self.exact_filter = BitFilter::with_capacity(self.exact.len());
        for k in self.exact.keys() {
            self.exact_filter.insert(k.as_bytes());
        }
        self.upper_filter = BitFilter::with_capacity(self.upper.len());
        for k in self.upper.keys() {
            self.upper_filter.insert(k.as_bytes());
        }
        let stop = &self.stop_names;
        let searchable = |surface: &str, ids: &[EntryId], upper: bool| -> Vec<EntryId> {
            ids.iter()
                .copied()
                .filter(|id| {
                    let e = &entries[id.index()];
                    let generated_place = matches!(e.kind, Kind::City | Kind::Region);
                    !(generated_place && is_stopped(stop, surface, upper))
                })
                .collect()
        };
        let mut exact: Vec<(String, Vec<EntryId>)> = self
            .exact
            .iter()
            .map(|(s, ids)| (s.clone(), searchable(s, ids, false)))
            .filter(|(s, ids)| !ids.is_empty() && s.chars().any(char::is_alphanumeric))
            .collect();
        let mut upper: Vec<(String, Vec<EntryId>)> = self
            .upper
            .iter()
            .map(|(s, ids)| (s.clone(), searchable(s, ids, true)))
            .filter(|(s, ids)| !ids.is_empty() && s.chars().any(char::is_alphanumeric))
            .collect();
        exact.sort_by(|a, b| a.0.cmp(&b.0));
        upper.sort_by(|a, b| a.0.cmp(&b.0));
        self.matcher = Matcher {
            exact: PatternSet::new(exact),
            upper: PatternSet::new(upper),
        };
        Ok(())
    }
}

/// Whether `surface` is on the stop list; for an upper-cased surface, whether any stop name
/// upper-cases to it.
fn is_stopped(stop: &HashSet<String>, surface: &str, upper: bool) -> bool {
    if !upper {
        return stop.contains(surface);
    }
    // Stop names are capitalised words ("Mobile"); their upper-case form is all we need.
    let mut chars = surface.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let capitalised: String = first.to_string() + &chars.as_str().to_lowercase();
    stop.contains(&capitalised) || stop.contains(surface)
}

fn add_id(ids: &mut Vec<EntryId>, id: EntryId) {
    if !ids.contains(&id) {
        ids.push(id);
    }
}

/// Every surface an entry is known by: its name, its aliases, and the same with the other kind
/// of apostrophe (' and ’) so "Cote d'Ivoire" also matches "Cote d’Ivoire".
fn surfaces(e: &Entry) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(1 + e.aliases.len());
    for name in std::iter::once(&e.name).chain(&e.aliases) {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let mut push = |s: String| {
            if !out.contains(&s) {
                out.push(s);
            }
        };
        push(name.to_string());
        if name.contains('\'') {
            push(name.replace('\'', "\u{2019}"));
        }
        if name.contains('\u{2019}') {
            push(name.replace('\u{2019}', "'"));
        }
    }
    out
}

/// Removes a trailing possessive: `'s`/`’s`, or a bare `'`/`’` after an `s` ("Philippines'").
pub fn strip_possessive(surface: &str) -> &str {
    // every possessive ends in 's', 'S', '\'' or '’' (whose last byte is 0x99)
    if !matches!(surface.as_bytes().last(), Some(b's' | b'S' | b'\'' | 0x99)) {
        return surface;
    }
    for suffix in ["'s", "\u{2019}s", "'S", "\u{2019}S"] {
        if let Some(stem) = surface.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem;
            }
        }
    }
    for suffix in ['\'', '\u{2019}'] {
        if let Some(stem) = surface.strip_suffix(suffix) {
            if stem.ends_with(['s', 'S']) {
                return stem;
            }
        }
    }
    surface
}

const CITY_COLUMNS: &[&str] = &["geonames_id", "name", "country", "lat", "lon", "population"];
const PLACE_COLUMNS: &[&str] = &["key", "name", "aliases", "country", "lat", "lon"];
const ORG_COLUMNS: &[&str] = &["key", "name", "aliases", "org_kind", "country"];
const COUNTRY_COLUMNS: &[&str] = &["iso2", "iso3", "name", "aliases", "demonyms", "capital"];
const ACTOR_COLUMNS: &[&str] = &["id", "name", "aliases", "country", "role"];

fn actor_entry(row: &Row<'_, '_>) -> Result<Entry, GazetteerError> {
    let id = row.required("id")?;
    if !id.starts_with("actor:") {
        return Err(row.error(format!("actor id `{id}` must start with `actor:`")));
    }
    let mut e = Entry::new(
        id.to_string(),
        Kind::Actor,
        row.required("name")?.to_string(),
    );
    e.aliases = row.list("aliases").into_iter().map(String::from).collect();
    e.country = row.get("country").map(str::to_ascii_uppercase);
    e.role = row.get("role").map(String::from);
    e.valid_from = row.get("valid_from").map(String::from);
    e.valid_to = row.get("valid_to").map(String::from);
    Ok(e)
}

#[cfg(test)]
mod tests;
