//! `tag_with`: the tagger reads the gazetteer it is given, not only the process's one.
use std::path::Path;

use eventwire_gazetteer::Gazetteer;
use eventwire_nlp::{GazetteerKb, Lexicon, Truecaser};
use eventwire_schema::v1::{CleanArticle, DiplomaticEvent};
use eventwire_tagger::{tag, tag_with, TagContext};

const ACTOR: &str = "id\tname\taliases\tcountry\trole\tvalid_from\tvalid_to\tsource
actor:test-orlan-vasko\tOrlan Vasko\t\tNOR\tforeign minister\t2020-01-01\t\ttest
";

fn article() -> CleanArticle {
    CleanArticle {
        id: "ctx1".into(),
        body: "Orlan Vasko met Kenyan officials in Nairobi on Tuesday to discuss trade.".into(),
        published: Some("2025-03-06".into()),
        ..CleanArticle::default()
    }
}

fn actor_ids(events: &[DiplomaticEvent]) -> Vec<String> {
    events
        .iter()
        .flat_map(|e| e.participants.iter())
        .filter_map(|p| p.canonical_id.clone())
        .collect()
}

#[test]
fn embedded_context_is_what_tag_uses() {
    assert_eq!(
        tag_with(&article(), &TagContext::embedded()),
        tag(&article())
    );
    assert_eq!(
        tag_with(&article(), &TagContext::default()),
        tag(&article())
    );
}

#[test]
fn a_gazetteer_of_ones_own_is_read() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let mut gazetteer = Gazetteer::load_dir(&data).expect("the repository's data/ loads");
    assert_eq!(gazetteer.add_actors_text("test.tsv", ACTOR).ok(), Some(1));
    let places = GazetteerKb::new(&gazetteer);
    let context = TagContext {
        gazetteer: &gazetteer,
        places: &places,
        lexicon: Lexicon::embedded(),
        truecaser: Truecaser::embedded(),
    };
    let own = tag_with(&article(), &context).diplomatic;
    assert!(
        actor_ids(&own).contains(&"actor:test-orlan-vasko".to_string()),
        "{own:?}"
    );
    let embedded = tag(&article()).diplomatic;
    assert!(!actor_ids(&embedded).contains(&"actor:test-orlan-vasko".to_string()));
}
