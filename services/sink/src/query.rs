//! The questions analysts ask of the resolved events: meetings between two countries since a
//! date, casualty incidents in a country, one event with its mentions.

use sqlx::Row;

use crate::{SinkError, Store};

/// What to look for; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// Casualty incidents instead of diplomatic events.
    pub casualties: bool,
    /// A diplomatic kind; "meet" also finds "negotiate" (one class, talks).
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-3 codes every event must involve (participants or place).
    pub between: Vec<String>,
    /// Where a casualty incident happened (ISO alpha-3).
    pub country: Option<String>,
    /// Events dated (or, undated, last reported) on or after this day ("YYYY-MM-DD").
    pub since: Option<String>,
    /// One event by id.
    pub id: Option<String>,
    pub limit: i64,
}

/// One event found: its record as the resolver wrote it, and, when asked, its mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub record: serde_json::Value,
    pub mentions: Vec<serde_json::Value>,
}

/// The SQL and its text parameters for `q`, newest first.
fn select(q: &EventQuery) -> (String, Vec<String>) {
    let mut sql = String::from("SELECT e.record FROM resolved_events e WHERE e.family = $1");
    let mut params = vec![if q.casualties {
        "casualty"
    } else {
        "diplomatic"
    }
    .to_string()];
    let mut param = |sql: &mut String, clause: &str, value: String| {
        params.push(value);
        sql.push_str(&clause.replace("{}", &format!("${}", params.len())));
    };
    if let Some(id) = &q.id {
        param(&mut sql, " AND e.id = {}", id.clone());
    }
    if let Some(kind) = &q.kind {
        if kind == "meet" {
            param(&mut sql, " AND e.kind IN ({}, 'negotiate')", kind.clone());
        } else {
            param(&mut sql, " AND e.kind = {}", kind.clone());
        }
    }
    for code in &q.between {
        param(
            &mut sql,
            " AND EXISTS (SELECT 1 FROM event_countries c WHERE c.event_id = e.id AND c.country = {})",
            code.clone(),
        );
    }
    if let Some(country) = &q.country {
        param(&mut sql, " AND e.country = {}", country.clone());
    }
    if let Some(since) = &q.since {
        param(
            &mut sql,
            " AND COALESCE(e.event_date, e.last_updated) >= {}",
            since.clone(),
        );
    }
    sql.push_str(" ORDER BY COALESCE(e.event_date, e.first_seen) DESC, e.id");
    sql.push_str(&format!(" LIMIT {}", q.limit.max(1)));
    (sql, params)
}

/// The events `q` finds, newest first, with their mentions when `with_mentions`.
pub async fn events(
    store: &Store,
    q: &EventQuery,
    with_mentions: bool,
) -> Result<Vec<Found>, SinkError> {
    let (sql, params) = select(q);
    let mut query = sqlx::query(&sql);
    for p in &params {
        query = query.bind(p.clone());
    }
    let rows = query.fetch_all(store.pool()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let text: String = row.try_get(0)?;
        let record: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let mentions = if with_mentions {
            mentions_of(store, record["id"].as_str().unwrap_or_default()).await?
        } else {
            Vec::new()
        };
        out.push(Found { record, mentions });
    }
    Ok(out)
}

/// The mentions kept for event `id`, oldest publication first.
async fn mentions_of(store: &Store, id: &str) -> Result<Vec<serde_json::Value>, SinkError> {
    let rows = sqlx::query(
        "SELECT mention_id, article_id, source, url, published, duplicate_of FROM event_mentions \
         WHERE event_id = $1 ORDER BY published, mention_id",
    )
    .bind(id.to_string())
    .fetch_all(store.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(serde_json::json!({
            "event_id": r.try_get::<String, _>(0)?,
            "article_id": r.try_get::<String, _>(1)?,
            "source": r.try_get::<String, _>(2)?,
            "url": r.try_get::<Option<String>, _>(3)?,
            "published": r.try_get::<Option<String>, _>(4)?,
            "duplicate_of": r.try_get::<Option<String>, _>(5)?,
        }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_numbered_parameters_in_order() {
        let q = EventQuery {
            kind: Some("meet".into()),
            between: vec!["USA".into(), "RUS".into()],
            since: Some("2025-04-01".into()),
            limit: 50,
            ..EventQuery::default()
        };
        let (sql, params) = select(&q);
        assert_eq!(params, ["diplomatic", "meet", "USA", "RUS", "2025-04-01"]);
        for n in 1..=5 {
            assert_eq!(sql.matches(&format!("${n}")).count(), 1, "{sql}");
        }
        assert!(
            sql.contains("'negotiate'") && sql.ends_with("LIMIT 50"),
            "{sql}"
        );
    }
}
