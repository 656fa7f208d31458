//! The sink on a SQLite file (the embedded default): idempotent upserts, retired ids deleted,
//! and the analysts' queries. The same code runs on PostgreSQL.
use eventwire_schema::v1::{
    DiplomaticKind, EventStatus, MentionRef, Participant, ResolvedDate, ResolvedEvent,
};
use eventwire_sink::query::{events, EventQuery};
use eventwire_sink::{Change, Store};

fn meeting(id: &str, a: &str, b: &str, date: &str, mentions: u32) -> ResolvedEvent {
    let party = |code: &str| Participant {
        name: code.into(),
        country: Some(code.into()),
        ..Participant::default()
    };
    ResolvedEvent {
        id: id.into(),
        family: "diplomatic".into(),
        kind: DiplomaticKind::Meet as i32,
        status: EventStatus::Occurred as i32,
        participants: vec![party(a), party(b)],
        date: Some(ResolvedDate {
            value: date.into(),
            ..ResolvedDate::default()
        }),
        mention_count: mentions,
        source_count: mentions,
        independent_count: mentions,
        mentions: (0..mentions)
            .map(|i| MentionRef {
                event_id: format!("{id}-m{i}"),
                article_id: format!("{id}-a{i}"),
                source: "wire".into(),
                ..MentionRef::default()
            })
            .collect(),
        first_seen: date.into(),
        last_updated: date.into(),
        ..ResolvedEvent::default()
    }
}

fn upsert(e: ResolvedEvent) -> Change {
    Change::Upsert(Box::new(e))
}

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("events.sqlite");
    let store = Store::open(path.to_str().expect("utf-8 path"))
        .await
        .expect("open");
    (dir, store)
}

fn ids(found: &[eventwire_sink::query::Found]) -> Vec<String> {
    found
        .iter()
        .map(|f| f.record["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn upserts_are_idempotent_and_queries_find_meetings_between_countries() {
    let (_dir, store) = store().await;
    let changes = vec![
        upsert(meeting("e1", "USA", "RUS", "2025-04-11", 1)),
        upsert(meeting("e2", "USA", "FRA", "2025-04-12", 2)),
        upsert(meeting("e3", "USA", "RUS", "2025-03-01", 1)),
        // a newer version of e1
        upsert(meeting("e1", "USA", "RUS", "2025-04-11", 3)),
    ];
    store.write(&changes).await.expect("write");
    store.write(&changes).await.expect("write again");
    let q = EventQuery {
        kind: Some("meet".into()),
        between: vec!["USA".into(), "RUS".into()],
        since: Some("2025-04-01".into()),
        limit: 100,
        ..EventQuery::default()
    };
    let found = events(&store, &q, true).await.expect("query");
    assert_eq!(ids(&found), ["e1"]);
    assert_eq!(found[0].record["mention_count"], 3);
    assert_eq!(found[0].mentions.len(), 3);
    let all = EventQuery {
        limit: 100,
        ..EventQuery::default()
    };
    assert_eq!(
        ids(&events(&store, &all, false).await.expect("query")),
        ["e2", "e1", "e3"]
    );
}

#[tokio::test]
async fn a_retired_id_is_deleted() {
    let (_dir, store) = store().await;
    store
        .write(&[
            upsert(meeting("e1", "USA", "RUS", "2025-04-11", 1)),
            upsert(meeting("e2", "USA", "RUS", "2025-04-11", 1)),
            Change::Retire("e2".into()),
        ])
        .await
        .expect("write");
    let all = EventQuery {
        limit: 100,
        ..EventQuery::default()
    };
    assert_eq!(
        ids(&events(&store, &all, false).await.expect("query")),
        ["e1"]
    );
}

#[tokio::test]
async fn a_bad_address_is_a_clear_error() {
    let err = Store::open("mysql://somewhere/db")
        .await
        .expect_err("an error");
    assert!(err.to_string().contains("not a database address"), "{err}");
}
