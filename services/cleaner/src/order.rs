//! The ordering gate: records take a ticket in input order and run their dedup step strictly in
//! ticket order, whatever order their (parallel) cleaning finishes in, so "the earliest copy
//! seen" never depends on thread timing.
//!
//! A ticket is released when it is dropped: after its dedup step, or early on an error, a
//! panic or a cancelled future. A released ticket never blocks later ones, so a failed record
//! cannot stall the stream.
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

/// Hands out tickets and tracks which have finished.
pub struct Sequencer {
    state: Mutex<State>,
    /// Every ticket below this value has been released.
    frontier: watch::Sender<u64>,
}

struct State {
    next: u64,
    frontier: u64,
    /// Released tickets above the frontier.
    done: BTreeSet<u64>,
}

impl Default for Sequencer {
    fn default() -> Self {
        Sequencer {
            state: Mutex::new(State {
                next: 0,
                frontier: 0,
                done: BTreeSet::new(),
            }),
            frontier: watch::Sender::new(0),
        }
    }
}

impl Sequencer {
    /// A new gate.
    pub fn new() -> Arc<Self> {
        Arc::new(Sequencer::default())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked: every update is one step.
        match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// The next ticket. Call synchronously, in input order (before any await).
    pub fn ticket(self: &Arc<Self>) -> Ticket {
        let mut s = self.lock();
        let seq = s.next;
        s.next += 1;
        Ticket {
            seq,
            gate: Arc::clone(self),
        }
    }

    /// Tickets taken but not yet released.
    pub fn outstanding(&self) -> u64 {
        let s = self.lock();
        s.next - s.frontier - s.done.len() as u64
    }

    fn release(&self, seq: u64) {
        let mut s = self.lock();
        if seq < s.frontier || !s.done.insert(seq) {
            return;
        }
        let before = s.frontier;
        while s.done.first() == Some(&s.frontier) {
            let f = s.frontier;
            s.done.remove(&f);
            s.frontier += 1;
        }
        if s.frontier != before {
            self.frontier.send_replace(s.frontier);
        }
    }
}

/// A place in line. Dropping it releases it.
pub struct Ticket {
    seq: u64,
    gate: Arc<Sequencer>,
}

impl Ticket {
    /// Its position (0-based, in the order tickets were taken).
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// Waits until every earlier ticket has been released. Cancel-safe: dropping the future
    /// (or the ticket) in the middle releases nothing twice and blocks nobody.
    pub async fn turn(&self) {
        let mut rx = self.gate.frontier.subscribe();
        // The sender lives in `self.gate`, which we hold, so this cannot fail.
        let _ = rx.wait_for(|f| *f >= self.seq).await;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.gate.release(self.seq);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn turns_follow_ticket_order_and_dropped_tickets_do_not_block() {
        let gate = Sequencer::new();
        let t0 = gate.ticket();
        let t1 = gate.ticket();
        let t2 = gate.ticket();
        let t3 = gate.ticket();
        let log = Arc::new(Mutex::new(Vec::new()));
        let spawn = |t: Ticket, delay: u64| {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(delay)).await;
                t.turn().await;
                log.lock().unwrap().push(t.seq());
            })
        };
        // Later tickets become ready first.
        let h3 = spawn(t3, 0);
        let h2 = spawn(t2, 5);
        drop(t1); // an error: released without a turn
        let h0 = spawn(t0, 30);
        for h in [h0, h2, h3] {
            h.await.unwrap();
        }
        assert_eq!(*log.lock().unwrap(), vec![0, 2, 3]);
        assert_eq!(gate.outstanding(), 0);
    }

    #[tokio::test]
    async fn cancelled_and_panicking_holders_release_their_tickets() {
        let gate = Sequencer::new();
        let t0 = gate.ticket();
        let t1 = gate.ticket();
        let t2 = gate.ticket();
        // t1's future is cancelled while waiting for its turn.
        let waiting = tokio::spawn(async move {
            t1.turn().await;
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
        waiting.abort();
        let _ = waiting.await;
        // t0's holder panics.
        let panicking = tokio::spawn(async move {
            let _t = t0;
            panic!("boom");
        });
        assert!(panicking.await.is_err());
        tokio::time::timeout(Duration::from_secs(1), t2.turn())
            .await
            .expect("t2 gets its turn");
    }
}
