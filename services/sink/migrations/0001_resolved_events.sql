-- One row per real-world event (the resolver's ResolvedEvent), its participants' countries for
-- "between" queries, its mentions (one per article's event) and its toll revisions. Portable
-- SQL: the same file runs on PostgreSQL and SQLite.
CREATE TABLE resolved_events (
    id TEXT PRIMARY KEY,
    family TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    event_date TEXT,
    country TEXT,
    location TEXT,
    mention_count BIGINT NOT NULL,
    source_count BIGINT NOT NULL,
    independent_count BIGINT NOT NULL,
    killed_low BIGINT,
    killed_high BIGINT,
    injured_low BIGINT,
    injured_high BIGINT,
    first_seen TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX resolved_events_kind_date ON resolved_events (family, kind, event_date);
CREATE INDEX resolved_events_country_date ON resolved_events (country, event_date);
CREATE INDEX resolved_events_last_updated ON resolved_events (last_updated);

CREATE TABLE event_countries (
    event_id TEXT NOT NULL,
    country TEXT NOT NULL,
    PRIMARY KEY (event_id, country)
);
CREATE INDEX event_countries_country ON event_countries (country, event_id);

CREATE TABLE event_mentions (
    mention_id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT,
    published TEXT,
    duplicate_of TEXT
);
CREATE INDEX event_mentions_event ON event_mentions (event_id);

CREATE TABLE toll_revisions (
    event_id TEXT NOT NULL,
    mention_id TEXT NOT NULL,
    figure TEXT NOT NULL,
    from_count BIGINT,
    to_count BIGINT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (event_id, mention_id, figure)
);
