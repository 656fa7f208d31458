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

pub use record::MAX_MENTION_REFS;

/// How much the resolver keeps.
#[derive(Debug, Clone, Copy)]
pub struct ResolverConfig {
    /// Events whose last mention is older than this many days (by the newest day seen) are
    /// dropped.
    pub window_days: i64,
    /// At most this many events are kept; past it, the least recently updated are closed
    /// down to nine tenths of it.
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

impl Entry {
    /// The keys an event is found by: its participants' or places' keys, and for a casualty
    /// its country.
    pub(crate) fn index_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.keys.iter().cloned().collect();
        if let Some(country) = &self.record.country {
            keys.push(format!("country:{country}"));
        }
        keys
    }
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
    /// The newest day when the window was last swept.
    swept_day: Option<NaiveDate>,
    /// Events merged into others, not yet taken.
    retired: Vec<String>,
    /// Event ids by the keys they can be found by ([`Entry::index_keys`]): only events
    /// sharing a key with a mention are compared with it.
    by_key: HashMap<String, HashSet<String>>,
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
        let target = self.best_match(&fresh, diplomatic::compatible);
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
        let target = self.best_match(&fresh, casualty::compatible);
        self.place(report.event_id.clone(), target, fresh, casualty::absorb)
    }

    /// The most recently updated kept event that `fresh` is compatible with, among those
    /// sharing an index key with it.
    fn best_match(&self, fresh: &Entry, compatible: fn(&Entry, &Entry) -> bool) -> Option<String> {
        self.candidates(fresh, None)
            .into_iter()
            .filter_map(|id| self.events.get(&id).map(|e| (id, e)))
            .filter(|(_, e)| compatible(e, fresh))
            .max_by_key(|(_, e)| e.touched)
            .map(|(id, _)| id)
    }

    /// Ids of kept events sharing an index key with `entry`, other than `except`.
    fn candidates(&self, entry: &Entry, except: Option<&str>) -> Vec<String> {
        let mut ids: Vec<String> = entry
            .index_keys()
            .iter()
            .filter_map(|k| self.by_key.get(k))
            .flatten()
            .filter(|id| Some(id.as_str()) != except)
            .cloned()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn index(&mut self, id: &str) {
        let Some(e) = self.events.get(id) else {
            return;
        };
        for k in e.index_keys() {
            self.by_key.entry(k).or_default().insert(id.to_string());
        }
    }

    fn unindex(&mut self, id: &str, e: &Entry) {
        for k in e.index_keys() {
            if let Some(ids) = self.by_key.get_mut(&k) {
                ids.remove(id);
                if ids.is_empty() {
                    self.by_key.remove(&k);
                }
            }
        }
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
                self.mentions.insert(mention_id, id.clone());
                self.index(&id);
                self.coalesce(&id);
                match self.events.get(&id) {
                    Some(e) => Outcome::Updated(e.record.clone()),
                    None => Outcome::Unchanged,
                }
            }
            None => {
                let mut entry = fresh;
                entry.touched = self.clock;
                let id = entry.record.id.clone();
                self.mentions.insert(mention_id, id.clone());
                let record = entry.record.clone();
                self.events.insert(id.clone(), entry);
                self.index(&id);
                Outcome::New(record)
            }
        };
        self.evict();
        outcome
    }

    /// Merges into event `id` every other kept event that its latest mention made compatible
    /// with it ("Ruiz met Berg" and "Ruiz, Berg and Lind met" were two events until a mention
    /// of Ruiz and Lind joined the second). The other events' ids are retired
    /// ([`Resolver::take_retired`]); their mentions now point to `id`.
    fn coalesce(&mut self, id: &str) {
        loop {
            let Some(target) = self.events.get(id) else {
                return;
            };
            let other = self.candidates(target, Some(id)).into_iter().find(|k| {
                self.events
                    .get(k)
                    .is_some_and(|e| match target.record.family.as_str() {
                        "casualty" => casualty::compatible(e, target),
                        _ => diplomatic::compatible(e, target),
                    })
            });
            let Some(other) = other else {
                return;
            };
            let Some(absorbed) = self.events.remove(&other) else {
                return;
            };
            self.unindex(&other, &absorbed);
            if let Some(target) = self.events.get_mut(id) {
                match target.record.family.as_str() {
                    "casualty" => casualty::absorb(target, absorbed),
                    _ => diplomatic::absorb(target, absorbed),
                }
            }
            self.index(id);
            for to in self.mentions.values_mut().filter(|to| **to == other) {
                *to = id.to_string();
            }
            self.retired.push(other);
        }
    }

    /// The ids of events merged into others since the last call: a keyed store deletes them
    /// (a compacted topic writes a tombstone).
    pub fn take_retired(&mut self) -> Vec<String> {
        std::mem::take(&mut self.retired)
    }

    /// Drops events outside the window and, beyond the capacity, the least recently
    /// updated; the mentions that went to them are forgotten too (a very late redelivery of
    /// one then starts a new event, which the window makes rare).
    pub fn evict(&mut self) {
        let window = self.config.window_days;
        // the window moves only when a newer day is seen: sweep then, not at every mention
        let swept = self.swept_day;
        self.swept_day = self.newest_day;
        let mut closing: Vec<String> = match self.newest_day.filter(|&d| Some(d) != swept) {
            Some(newest) => self
                .events
                .iter()
                .filter(|(_, e)| e.last_day.is_some_and(|d| (newest - d).num_days() > window))
                .map(|(id, _)| id.clone())
                .collect(),
            None => Vec::new(),
        };
        // beyond the capacity, close the least recently updated down to nine tenths of it, so
        // the sort runs once per tenth of the capacity, not at every mention
        let kept = self.events.len() - closing.len();
        let excess = if kept > self.config.capacity {
            kept - self.config.capacity * 9 / 10
        } else {
            0
        };
        if excess > 0 {
            let mut by_age: Vec<(u64, &String)> = self
                .events
                .iter()
                .filter(|(id, _)| !closing.contains(id))
                .map(|(id, e)| (e.touched, id))
                .collect();
            by_age.sort_unstable();
            let oldest: Vec<String> = by_age
                .into_iter()
                .take(excess)
                .map(|(_, id)| id.clone())
                .collect();
            closing.extend(oldest);
        }
        for id in closing {
            if let Some(e) = self.events.remove(&id) {
                self.unindex(&id, &e);
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
