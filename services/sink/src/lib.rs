//! The sink: resolved events (`events.resolved`) into a database, PostgreSQL in production and
//! SQLite in the embedded run, through the same code (sqlx's `Any` driver), and the queries
//! analysts run over it ([`query`]).
//!
//! Writes are idempotent upserts keyed by the event's id, one transaction per batch: a record
//! written twice (a redelivery) leaves the same rows, and a retired id (an event merged into
//! another) deletes its rows. Migrations (`migrations/`, embedded) run when a store opens.

use eventwire_schema::v1::{ResolvedEvent, Toll};
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyPool, Transaction};

pub mod query;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("encoding a record: {0}")]
    Encode(#[from] eventwire_schema::json::JsonError),
    #[error("not a database address: {0} (a file path, sqlite://..., or postgres://...)")]
    Address(String),
}

/// One change to write: a resolved event's new version, or an id that was merged away.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Upsert(Box<ResolvedEvent>),
    Retire(String),
}

/// A database of resolved events.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
}

/// The sqlx address of `db`: a `postgres://` or `sqlite://` URL as given, a file path as a
/// SQLite file created when missing.
pub fn address(db: &str) -> Result<String, SinkError> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") || db.starts_with("sqlite:")
    {
        Ok(db.to_string())
    } else if db.is_empty() || db.contains("://") {
        Err(SinkError::Address(db.to_string()))
    } else {
        Ok(format!("sqlite://{db}?mode=rwc"))
    }
}

impl Store {
    /// Opens (and creates, for a SQLite file) the database at `db` and brings its schema up to
    /// date.
    pub async fn open(db: &str) -> Result<Store, SinkError> {
        install_default_drivers();
        let url = address(db)?;
        // SQLite takes one writer at a time; PostgreSQL a few connections.
        let max = if url.starts_with("sqlite:") { 1 } else { 4 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .connect(&url)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool })
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Writes `changes` in one transaction, in order.
    pub async fn write(&self, changes: &[Change]) -> Result<(), SinkError> {
        let mut tx = self.pool.begin().await?;
        for change in changes {
            match change {
                Change::Upsert(e) => upsert(&mut tx, e).await?,
                Change::Retire(id) => retire(&mut tx, id).await?,
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

fn count(v: u32) -> i64 {
    i64::from(v)
}

fn toll_bounds(t: Option<&Toll>) -> (Option<i64>, Option<i64>) {
    t.map_or((None, None), |t| {
        (t.low.map(i64::from), t.high.map(i64::from))
    })
}

/// The lower-case word of an enum value as the JSON writes it ("meet", "occurred").
fn enum_word(record: &serde_json::Value, field: &str) -> String {
    record[field].as_str().unwrap_or_default().to_string()
}

async fn upsert(tx: &mut Transaction<'_, Any>, e: &ResolvedEvent) -> Result<(), SinkError> {
    let record = eventwire_schema::json::encode(e)?;
    let json: serde_json::Value = serde_json::from_slice(&record).unwrap_or_default();
    let (killed_low, killed_high) = toll_bounds(e.killed.as_ref());
    let (injured_low, injured_high) = toll_bounds(e.injured.as_ref());
    sqlx::query(
        "INSERT INTO resolved_events (id, family, kind, status, event_date, country, location, \
         mention_count, source_count, independent_count, killed_low, killed_high, injured_low, \
         injured_high, first_seen, last_updated, record) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (id) DO UPDATE SET family = excluded.family, kind = excluded.kind, \
         status = excluded.status, event_date = excluded.event_date, country = excluded.country, \
         location = excluded.location, mention_count = excluded.mention_count, \
         source_count = excluded.source_count, independent_count = excluded.independent_count, \
         killed_low = excluded.killed_low, killed_high = excluded.killed_high, \
         injured_low = excluded.injured_low, injured_high = excluded.injured_high, \
         first_seen = excluded.first_seen, last_updated = excluded.last_updated, \
         record = excluded.record",
    )
    .bind(&e.id)
    .bind(&e.family)
    .bind(if e.family == "diplomatic" {
        enum_word(&json, "kind")
    } else {
        String::new()
    })
    .bind(enum_word(&json, "status"))
    .bind(e.date.as_ref().map(|d| d.value.clone()))
    .bind(
        e.country
            .clone()
            .or_else(|| e.location.as_ref().and_then(|l| l.country.clone())),
    )
    .bind(e.location.as_ref().map(|l| l.name.clone()))
    .bind(count(e.mention_count))
    .bind(count(e.source_count))
    .bind(count(e.independent_count))
    .bind(killed_low)
    .bind(killed_high)
    .bind(injured_low)
    .bind(injured_high)
    .bind(&e.first_seen)
    .bind(&e.last_updated)
    .bind(String::from_utf8_lossy(&record).into_owned())
    .execute(&mut **tx)
    .await?;
    write_countries(tx, e).await?;
    write_mentions(tx, e).await?;
    write_revisions(tx, e).await
}

/// The countries an event involves: its participants' and its place's.
fn countries(e: &ResolvedEvent) -> Vec<String> {
    let mut out: Vec<String> = e
        .participants
        .iter()
        .filter_map(|p| p.country.clone())
        .chain(e.country.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

async fn write_countries(
    tx: &mut Transaction<'_, Any>,
    e: &ResolvedEvent,
) -> Result<(), SinkError> {
    sqlx::query("DELETE FROM event_countries WHERE event_id = $1")
        .bind(&e.id)
        .execute(&mut **tx)
        .await?;
    for c in countries(e) {
        sqlx::query("INSERT INTO event_countries (event_id, country) VALUES ($1, $2)")
            .bind(&e.id)
            .bind(c)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn write_mentions(tx: &mut Transaction<'_, Any>, e: &ResolvedEvent) -> Result<(), SinkError> {
    for m in &e.mentions {
        sqlx::query(
            "INSERT INTO event_mentions (mention_id, event_id, article_id, source, url, published, \
             duplicate_of) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (mention_id) DO UPDATE SET event_id = excluded.event_id",
        )
        .bind(&m.event_id)
        .bind(&e.id)
        .bind(&m.article_id)
        .bind(&m.source)
        .bind(m.url.clone())
        .bind(m.published.clone())
        .bind(m.duplicate_of.clone())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn write_revisions(
    tx: &mut Transaction<'_, Any>,
    e: &ResolvedEvent,
) -> Result<(), SinkError> {
    for r in &e.revisions {
        sqlx::query(
            "INSERT INTO toll_revisions (event_id, mention_id, figure, from_count, to_count, at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, mention_id, figure) DO NOTHING",
        )
        .bind(&e.id)
        .bind(&r.event_id)
        .bind(&r.figure)
        .bind(r.from.map(i64::from))
        .bind(i64::from(r.to))
        .bind(&r.at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Deletes an event merged into another (its mentions now belong to that one).
async fn retire(tx: &mut Transaction<'_, Any>, id: &str) -> Result<(), SinkError> {
    for table in ["event_countries", "toll_revisions", "resolved_events"] {
        let column = if table == "resolved_events" {
            "id"
        } else {
            "event_id"
        };
        sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1"))
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
