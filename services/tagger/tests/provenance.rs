//! Every event carries its article's provenance (id, url, source, publication date, the
//! original it is a copy of, language), so a consumer needs no join with the articles topic.
use eventwire_schema::v1::CleanArticle;
use eventwire_tagger::tag;

#[test]
fn events_carry_their_articles_provenance() {
    let article = CleanArticle {
        id: "copy-7".into(),
        url: Some("https://news.example.org/2025/03/talks".into()),
        source: "example-wire".into(),
        published: Some("2025-03-12".into()),
        duplicate_of: Some("original-3".into()),
        language: "en".into(),
        body: "Foreign Minister Ana Ruiz met Prime Minister Lars Berg in Tallinn on Tuesday.\n\n\
               A car bomb killed at least 12 people in the capital on Monday, police said."
            .into(),
        ..CleanArticle::default()
    };
    let tagged = tag(&article);
    assert!(
        !tagged.diplomatic.is_empty() && !tagged.casualties.is_empty(),
        "{tagged:#?}"
    );
    for e in &tagged.diplomatic {
        assert_eq!(
            (e.article_id.as_str(), e.url.as_deref(), e.source.as_str()),
            ("copy-7", article.url.as_deref(), "example-wire")
        );
        assert_eq!(e.published.as_deref(), Some("2025-03-12"));
        assert_eq!(e.duplicate_of.as_deref(), Some("original-3"));
        assert_eq!(e.language, "en");
    }
    for r in &tagged.casualties {
        assert_eq!(
            (r.article_id.as_str(), r.url.as_deref(), r.source.as_str()),
            ("copy-7", article.url.as_deref(), "example-wire")
        );
        assert_eq!(r.published.as_deref(), Some("2025-03-12"));
        assert_eq!(r.duplicate_of.as_deref(), Some("original-3"));
        assert_eq!(r.language, "en");
    }
}
