//! Free local TCP ports for brokers and metrics endpoints, never the same one twice in a process.
use std::collections::HashSet;
use std::net::TcpListener;
use std::sync::Mutex;

use anyhow::{bail, Context, Result};

/// A port on 127.0.0.1 that was free a moment ago. The kernel picks it; ports already handed out
/// by this process are skipped, so parallel tests in one process never get the same port. (Another
/// process could still take it before it is used; callers that can retry on a clash do.)
pub fn free_port() -> Result<u16> {
    static HANDED_OUT: Mutex<Option<HashSet<u16>>> = Mutex::new(None);
    for _ in 0..100 {
        let listener =
            TcpListener::bind(("127.0.0.1", 0)).context("cannot bind a port on 127.0.0.1")?;
        let port = listener.local_addr()?.port();
        drop(listener);
        let mut guard = match HANDED_OUT.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if guard.get_or_insert_with(HashSet::new).insert(port) {
            return Ok(port);
        }
    }
    bail!("no free port found on 127.0.0.1 after 100 tries")
}
