//! The resolver: event mentions from many articles become one record per real-world event
//! ([`ResolvedEvent`]), each with every mention that reports it, how many articles and how many
//! independent originals did, its status over time and, for casualties, the toll over the
//! sources. Pure and synchronous: mentions in, updated records out; no I/O.
//!
//! The merge rules (docs/resolver.md):
//! - a diplomatic mention joins an event of the same kind class (meet and negotiate are one)
//!   whose participants it shares by entity ([`keys`]), on a compatible day and place
//!   ([`diplomatic`]);
//! - a casualty report joins an incident in the same country on the same day (±1) with a
//!   compatible place, perpetrator and weapon ([`casualty`]);
//! - a mention seen before (the same event id, redelivered) changes nothing.
//!
//! State is bounded: events not updated within the window, or the oldest beyond the capacity,
//! are dropped ([`Resolver::evict`]).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use eventwire_schema::v1::{CasualtyReport, DiplomaticEvent, ResolvedEvent};

pub mod casualty;
pub mod diplomatic;
pub mod keys;
mod record;

/// How much the resolver keeps.
#[derive(Debug, Clone, Copy)]
pub struct ResolverConfig {
    /// Events whose last mention is older than this many days (by the newest day seen) are
    /// dropped.
    pub window_days: i64,
    /// At most this many events are kept; the least recently updated go first.
    pub capacity: usize,
}

impl Default for ResolverConfig {
    fn default() -> Self {
        ResolverConfig {
            window_days: 14,
            capacity: 200_000,
        }
    }
}

/// One resolved event and what the merge rules read of it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) record: ResolvedEvent,
    /// The day the event happened (or was first reported), for date compatibility.
    pub(crate) day: Option<NaiveDate>,
    /// Whether `day` is a date the text gave (not the publication day).
    pub(crate) dated: bool,
    /// Casualties: who did it and with what, when a source said.
    pub(crate) perpetrator: Option<String>,
    pub(crate) weapon: Option<String>,
    pub(crate) cumulative: bool,
    /// The newest day a mention of it was seen, for eviction.
    pub(crate) last_day: Option<NaiveDate>,
    /// Participant entity keys (diplomatic) or place keys (casualty).
    pub(crate) keys: HashSet<String>,
    pub(crate) articles: HashSet<String>,
    pub(crate) originals: HashSet<String>,
    pub(crate) best_confidence: f32,
    /// Insertion order, for the least recently updated.
    pub(crate) touched: u64,
}

/// What adding a mention did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A new event; its first record.
    New(ResolvedEvent),
    /// An existing event took the mention; its new record.
    Updated(ResolvedEvent),
    /// The mention was seen before; nothing changed.
    Unchanged,
}

/// The events resolved so far.
#[derive(Debug, Default)]
pub struct Resolver {
    config: ResolverConfig,
    events: HashMap<String, Entry>,
    /// Mention event id -> the event id it went to.
    mentions: HashMap<String, String>,
    clock: u64,
    newest_day: Option<NaiveDate>,
}

impl Resolver {
    pub fn new(config: ResolverConfig) -> Resolver {
        Resolver {
            config,
            ..Resolver::default()
        }
    }

    /// Resolves one diplomatic mention.
    pub fn add_diplomatic(&mut self, mention: &DiplomaticEvent) -> Outcome {
        if self.mentions.contains_key(&mention.event_id) {
            return Outcome::Unchanged;
        }
        let fresh = diplomatic::entry_of(mention);
        let target = self
            .events
            .iter()
            .filter(|(_, e)| diplomatic::compatible(e, &fresh))
            .max_by_key(|(_, e)| e.touched)
            .map(|(id, _)| id.clone());
        self.place(mention.event_id.clone(), target, fresh, |e, m| {
            diplomatic::absorb(e, m)
        })
    }

    /// Resolves one casualty report.
    pub fn add_casualty(&mut self, report: &CasualtyReport) -> Outcome {
        if self.mentions.contains_key(&report.event_id) {
            return Outcome::Unchanged;
        }
        let fresh = casualty::entry_of(report);
        let target = self
            .events
            .iter()
            .filter(|(_, e)| casualty::compatible(e, &fresh))
            .max_by_key(|(_, e)| e.touched)
            .map(|(id, _)| id.clone());
        self.place(report.event_id.clone(), target, fresh, casualty::absorb)
    }

    /// Adds `fresh` (one mention's entry) to the event `target`, or as a new event.
    fn place(
        &mut self,
        mention_id: String,
        target: Option<String>,
        fresh: Entry,
        absorb: impl FnOnce(&mut Entry, Entry),
    ) -> Outcome {
        self.clock += 1;
        self.newest_day = self.newest_day.max(fresh.last_day);
        let outcome = match target.and_then(|id| self.events.get_mut(&id).map(|e| (id, e))) {
            Some((id, entry)) => {
                absorb(entry, fresh);
                entry.touched = self.clock;
                self.mentions.insert(mention_id, id);
                Outcome::Updated(entry.record.clone())
            }
            None => {
                let mut entry = fresh;
                entry.touched = self.clock;
                let id = entry.record.id.clone();
                self.mentions.insert(mention_id, id.clone());
                let record = entry.record.clone();
                self.events.insert(id, entry);
                Outcome::New(record)
            }
        };
        self.evict();
        outcome
    }

    /// Drops events outside the window and, beyond the capacity, the least recently
    /// updated; the mentions that went to them are forgotten too (a very late redelivery of
    /// one then starts a new event, which the window makes rare).
    pub fn evict(&mut self) {
        let window = self.config.window_days;
        if let Some(newest) = self.newest_day {
            self.events
                .retain(|_, e| e.last_day.is_none_or(|d| (newest - d).num_days() <= window));
        }
        if self.events.len() > self.config.capacity {
            let mut by_age: Vec<(u64, String)> = self
                .events
                .iter()
                .map(|(id, e)| (e.touched, id.clone()))
                .collect();
            by_age.sort_unstable();
            let excess = self.events.len() - self.config.capacity;
            for (_, id) in by_age.into_iter().take(excess) {
                self.events.remove(&id);
            }
        }
        if self.mentions.len() > self.events.len() * 64 + 1024 {
            let live: HashSet<&String> = self.events.keys().collect();
            self.mentions.retain(|_, id| live.contains(id));
        }
    }

    /// Every event kept, in no particular order.
    pub fn events(&self) -> impl Iterator<Item = &ResolvedEvent> {
        self.events.values().map(|e| &e.record)
    }

    /// How many events are kept.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}
