//! Unit tests on a small in-memory data set (independent of the shipped data), plus sanity checks
//! of the embedded data.

use super::*;

const CITIES: &str =
    "geonames_id\tname\tascii_name\talt_names\tcountry\tadmin1\tlat\tlon\tpopulation
2988507\tParis\t\t\tFRA\t11\t48.85\t2.35\t2138551
4717560\tParis\t\t\tUSA\tTX\t33.66\t-95.56\t24782
703448\tKyiv\t\tKiev\tUKR\t12\t50.45\t30.52\t2797553
4140963\tWashington\t\tWashington, D.C.\tUSA\tDC\t38.89\t-77.03\t689545
2993458\tNice\t\t\tFRA\t93\t43.70\t7.27\t342669
4076598\tMobile\t\t\tUSA\tAL\t30.69\t-88.04\t190934
1701668\tManila\t\t\tPHL\t00\t14.60\t120.98\t1600000
250441\tAmman\t\t\tJOR\t11\t31.95\t35.93\t1275857
4122986\tJordan\t\t\tUSA\tNY\t43.06\t-76.47\t15000
";
const REGIONS: &str = "key\ttype\tname\taliases\tcountry\tlat\tlon\tpopulation
region:usa-wa\tstate\tWashington\tWashington State\tUSA\t47.5\t-120.5\t
region:ukr-donetsk\toblast\tDonetsk Oblast\tDonetsk oblast|Donetsk region\tUKR\t48.0\t37.8\t
";
const FEATURES: &str = "key\ttype\tname\taliases\tcountry\tlat\tlon\tpopulation
feature:gaza-strip\tterritory\tGaza Strip\tGaza\tPSE\t31.42\t34.38\t
";
const ORGS: &str = "key\tname\taliases\torg_kind\tcountry
org:un\tUnited Nations\tUN|U.N.\tigo\t
org:unsc\tUnited Nations Security Council\tUN Security Council|Security Council|UNSC\tigo\t
org:who\tWorld Health Organization\tWHO\tigo\t
";
const COUNTRIES: &str = "iso2\tiso3\tname\tofficial_name\taliases\tdemonyms\tcapital\tcapital_geonames_id\tcapital_lat\tcapital_lon\tlat\tlon\tpopulation
FR\tFRA\tFrance\tFrench Republic\t\tFrench|Frenchman\tParis\t2988507\t\t\t46\t2\t66987244
UA\tUKR\tUkraine\t\t\tUkrainian\tKyiv\t703448\t\t\t49\t32\t44622516
US\tUSA\tUnited States\tUnited States of America\tUS|U.S.|USA|America\tAmerican\tWashington\t4140963\t\t\t39\t-98\t327167434
PH\tPHL\tPhilippines\tRepublic of the Philippines\tthe Philippines\tFilipino|Philippine\tManila\t1701668\t\t\t13\t122\t100981437
JO\tJOR\tJordan\tHashemite Kingdom of Jordan\t\tJordanian\tAmman\t250441\t\t\t31\t36\t9956011
CI\tCIV\tIvory Coast\tRepublic of Cote d'Ivoire\tCote d'Ivoire\tIvorian\tYamoussoukro\t2279755\t6.82\t-5.28\t8\t-5\t25069229
";
const STOP: &str = "# common English words\nNice\nMobile\n";
const ACTORS: &str = "id\tname\taliases\tcountry\trole\tvalid_from\tvalid_to
actor:emmanuel-macron\tEmmanuel Macron\t\tFRA\tpresident\t2017-05-14\t
actor:volodymyr-zelensky\tVolodymyr Zelensky\tVolodymyr Zelenskyy|Volodymyr Zelenskiy\tUKR\tpresident\t2019-05-20\t
";

fn small() -> Gazetteer {
    let files: Vec<(String, &str)> = DATA_FILES
        .iter()
        .zip([CITIES, REGIONS, FEATURES, ORGS, COUNTRIES, STOP, ACTORS])
        .map(|(n, t)| (n.to_string(), t))
        .collect();
    Gazetteer::from_texts(&files).unwrap()
}

fn keys(g: &Gazetteer, entries: &[&Entry]) -> Vec<String> {
    let _ = g;
    entries.iter().map(|e| e.key.clone()).collect()
}

/// (surface, first candidate key) of every match.
fn found(g: &Gazetteer, text: &str) -> Vec<(String, String)> {
    g.find(text)
        .into_iter()
        .map(|m| {
            (
                text[m.start..m.end].to_string(),
                g.entry(m.candidates[0]).key.clone(),
            )
        })
        .collect()
}

#[test]
fn lookup_orders_by_prior() {
    let g = small();
    assert_eq!(
        keys(&g, &g.lookup("Paris")),
        vec!["geonames:2988507", "geonames:4717560"]
    );
    // Capital (80) before state (60): the caller decides "government" from context.
    assert_eq!(
        keys(&g, &g.lookup("Washington")),
        vec!["geonames:4140963", "region:usa-wa"]
    );
    // The country before the small US city.
    assert_eq!(
        keys(&g, &g.lookup("Jordan")),
        vec!["iso:JOR", "geonames:4122986"]
    );
    assert!(g.lookup("paris").is_empty(), "mixed/lower case is exact");
    assert!(g.lookup("Atlantis").is_empty());
}

#[test]
fn lookup_all_caps_is_case_insensitive_and_possessive_is_stripped() {
    let g = small();
    assert_eq!(keys(&g, &g.lookup("UKRAINE")), vec!["iso:UKR"]);
    assert_eq!(keys(&g, &g.lookup("Ukraine's")), vec!["iso:UKR"]);
    assert_eq!(keys(&g, &g.lookup("Ukraine\u{2019}s")), vec!["iso:UKR"]);
    assert_eq!(keys(&g, &g.lookup("Philippines'")), vec!["iso:PHL"]);
    assert_eq!(keys(&g, &g.lookup("WHO")), vec!["org:who"]);
    assert_eq!(keys(&g, &g.lookup("Who")), Vec::<String>::new());
}

#[test]
fn capital_records_capital_of_and_country_links() {
    let g = small();
    let fr = g.country("FRA").unwrap();
    assert_eq!(g.country("fr").unwrap().iso3, "FRA");
    let paris = g.entry(fr.capital.unwrap());
    assert_eq!(paris.key, "geonames:2988507");
    assert_eq!(paris.capital_of.as_deref(), Some("FRA"));
    assert_eq!(g.entry(fr.demonym_entry.unwrap()).name, "French");
    // A capital below the city threshold gets an entry of its own.
    let civ = g.country("CIV").unwrap();
    let yam = g.entry(civ.capital.unwrap());
    assert_eq!((yam.name.as_str(), yam.lat), ("Yamoussoukro", Some(6.82)));
    assert_eq!(yam.capital_of.as_deref(), Some("CIV"));
    assert!(g.country("XXX").is_none());
}

#[test]
fn find_prefers_longest_and_respects_word_boundaries() {
    let g = small();
    let text = "The UN Security Council met in Paris; United States officials and Americans said.";
    assert_eq!(
        found(&g, text),
        vec![
            ("UN Security Council".into(), "org:unsc".into()),
            ("Paris".into(), "geonames:2988507".into()),
            ("United States".into(), "iso:USA".into()),
        ]
    );
    // "Americans" is no demonym in this data; "American" inside it is no match.
    assert!(found(&g, "Parisian cafes").is_empty());
}

#[test]
fn find_demonyms_and_possessives() {
    let g = small();
    let text = "Ukraine's army and French troops; the Philippines’ coast guard; Kyiv-based Ukrainian aides";
    let got = found(&g, text);
    assert_eq!(
        got,
        vec![
            ("Ukraine".into(), "iso:UKR".into()),
            ("French".into(), "demonym:FRA".into()),
            ("the Philippines".into(), "iso:PHL".into()),
            ("Kyiv".into(), "geonames:703448".into()),
            ("Ukrainian".into(), "demonym:UKR".into()),
        ]
    );
}

#[test]
fn find_all_caps_headlines_and_datelines() {
    let g = small();
    let text = "KYIV, Ukraine - UKRAINE'S LEADER FLIES TO PARIS\nUS and U.S. aid";
    let got = found(&g, text);
    assert_eq!(
        got,
        vec![
            ("KYIV".into(), "geonames:703448".into()),
            ("Ukraine".into(), "iso:UKR".into()),
            ("UKRAINE".into(), "iso:UKR".into()),
            ("PARIS".into(), "geonames:2988507".into()),
            ("US".into(), "iso:USA".into()),
            ("U.S.".into(), "iso:USA".into()),
        ]
    );
}

#[test]
fn stop_names_are_not_matched_as_cities_but_remain_in_lookup() {
    let g = small();
    assert!(found(&g, "Nice weather in Mobile today").is_empty());
    assert!(found(&g, "NICE WEATHER").is_empty());
    assert!(g.is_stop_name("Nice"));
    assert_eq!(keys(&g, &g.lookup("Nice")), vec!["geonames:2993458"]);
    assert!(found(&g, "nice and mobile").is_empty());
}

#[test]
fn curly_and_straight_apostrophes_both_match() {
    let g = small();
    assert_eq!(found(&g, "in Cote d’Ivoire")[0].1, "iso:CIV");
    assert_eq!(found(&g, "in Cote d'Ivoire")[0].1, "iso:CIV");
}

#[test]
fn overlapping_names_return_all_candidates_with_offsets() {
    let g = small();
    let text = "Washington State and Washington";
    let ms = g.find(text);
    assert_eq!(ms.len(), 2);
    assert_eq!((ms[0].start, ms[0].end), (0, 16));
    assert_eq!(g.entry(ms[0].candidates[0]).key, "region:usa-wa");
    assert_eq!((ms[1].start, ms[1].end), (21, 31));
    let cands: Vec<&str> = ms[1]
        .candidates
        .iter()
        .map(|c| g.entry(*c).key.as_str())
        .collect();
    assert_eq!(cands, vec!["geonames:4140963", "region:usa-wa"]);
    assert!(g.find("").is_empty());
}

#[test]
fn actors_file_extends_without_recompiling() {
    let mut g = small();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.tsv");
    std::fs::write(
        &path,
        "id\tname\taliases\tcountry\trole\nactor:jane-roe\tJane Roe\tJ. Roe\tfra\tspecial envoy\n",
    )
    .unwrap();
    assert_eq!(g.add_actors_file(&path).unwrap(), 1);
    let jane = g.lookup("Jane Roe");
    assert_eq!(jane.len(), 1);
    assert_eq!(jane[0].role.as_deref(), Some("special envoy"));
    assert_eq!(jane[0].country.as_deref(), Some("FRA"));
    assert_eq!(
        found(&g, "envoy J. Roe met Emmanuel Macron")[0].1,
        "actor:jane-roe"
    );
    // The same file again: duplicate id, nothing added.
    let err = g.add_actors_file(&path).unwrap_err();
    assert!(
        err.to_string()
            .contains("duplicate actor id `actor:jane-roe`"),
        "{err}"
    );
    assert_eq!(g.lookup("Jane Roe").len(), 1);
}

#[test]
fn malformed_actors_file_reports_the_line() {
    let mut g = small();
    let text =
        "id\tname\taliases\tcountry\trole\nactor:a\tA B\t\tFRA\tminister\nactor:c\tC D\tFRA\n";
    let err = g.add_actors_text("mine.tsv", text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "mine.tsv:3: expected 5 tab-separated fields (as in the header), found 3"
    );
    let err = g.add_actors_text(
        "x.tsv",
        "id\tname\taliases\tcountry\trole\nbob\tBob\t\t\t\n",
    );
    assert!(err
        .unwrap_err()
        .to_string()
        .starts_with("x.tsv:2: actor id `bob`"));
    let missing = Path::new("/nonexistent/actors.tsv");
    assert!(matches!(
        g.add_actors_file(missing),
        Err(GazetteerError::Io { .. })
    ));
}

#[test]
fn load_dir_reads_the_layout_and_reports_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in DATA_FILES
        .iter()
        .zip([CITIES, REGIONS, FEATURES, ORGS, COUNTRIES, STOP, ACTORS])
    {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let g = Gazetteer::load_dir(dir.path()).unwrap();
    assert_eq!(g.countries().len(), 6);
    std::fs::remove_file(dir.path().join("actors/actors.tsv")).unwrap();
    let err = Gazetteer::load_dir(dir.path()).unwrap_err();
    assert!(err.to_string().contains("actors.tsv"), "{err}");
}

#[test]
fn strip_possessive_rules() {
    assert_eq!(strip_possessive("Ukraine's"), "Ukraine");
    assert_eq!(strip_possessive("Ukraine’s"), "Ukraine");
    assert_eq!(strip_possessive("Philippines'"), "Philippines");
    assert_eq!(strip_possessive("'s"), "'s");
    assert_eq!(strip_possessive("Cote d'"), "Cote d'");
}

#[test]
fn embedded_data_loads_with_sane_counts() {
    let started = std::time::Instant::now();
    let g = Gazetteer::embedded();
    let elapsed = started.elapsed();
    let counts: HashMap<Kind, usize> = g.counts().into_iter().collect();
    eprintln!("embedded gazetteer: {counts:?} in {elapsed:?}");
    assert!(g.countries().len() >= 190, "{counts:?}");
    assert!(counts[&Kind::City] >= 20_000, "{counts:?}");
    assert!(counts[&Kind::Region] >= 1_000, "{counts:?}");
    assert!(counts[&Kind::Feature] >= 50, "{counts:?}");
    assert!(counts[&Kind::Organization] >= 100, "{counts:?}");
    assert!(counts[&Kind::Actor] >= 200, "{counts:?}");
    let fr = g.country("FRA").unwrap();
    assert_eq!(g.entry(fr.capital.unwrap()).name, "Paris");
    assert!(fr.demonyms.iter().any(|d| d == "French"));
    for (surface, key) in [
        ("UK", "iso:GBR"),
        ("Britain", "iso:GBR"),
        ("the US", "iso:USA"),
        ("Ivory Coast", "iso:CIV"),
        ("Emirati", "demonym:ARE"),
        ("Israeli", "demonym:ISR"),
        ("Ukrainian", "demonym:UKR"),
        ("NATO", "org:nato"),
        ("IAEA", "org:iaea"),
        ("Kremlin", "org:kremlin"),
        ("Hezbollah", "org:hezbollah"),
        ("Gaza Strip", "feature:gaza-strip"),
        ("Kursk region", "region:rus-kursk"),
        ("Donetsk oblast", "region:ukr-donetsk"),
        ("Emmanuel Macron", "actor:emmanuel-macron"),
    ] {
        let found = g.lookup(surface);
        assert!(
            found.iter().any(|e| e.key == key),
            "{surface} -> {:?}",
            found.iter().map(|e| &e.key).collect::<Vec<_>>()
        );
    }
    // Capitals as metonyms: the city is first and records which country it heads.
    for capital in ["Kyiv", "Moscow", "Washington", "Beijing"] {
        let first = g.lookup(capital)[0];
        assert!(first.capital_of.is_some(), "{capital}: {first:?}");
    }
    assert_eq!(g.lookup("Kiev")[0].capital_of.as_deref(), Some("UKR"));
    // Common words are not matched as places; countries still are.
    let text = "Police said the Nice march was a split decision in Reading, Jordan and Georgia.";
    let got: Vec<&str> = g.find(text).iter().map(|m| &text[m.start..m.end]).collect();
    // "Nice" and "Reading" are stop names; "Jordan" is too as a US city, but not as a country.
    assert!(g.is_stop_name("Reading") && g.is_stop_name("Nice"));
    assert_eq!(got, vec!["Jordan", "Georgia"]);
}
