//! Where the workspace's service binaries are, and building them once per test process.
//!
//! `env!("CARGO_BIN_EXE_...")` only names binaries of the package under test, so the binaries are
//! looked up as `<target>/debug/<name>`, where `<target>` is `$CARGO_TARGET_DIR` or the workspace's
//! `target/` (`$EVENTWIRE_BIN_DIR` overrides the whole directory). Before the first lookup the
//! harness runs `cargo build --bins` once, so the tests never run stale binaries after an edit
//! (a no-op taking about a second when they are fresh). With `EVENTWIRE_E2E_NO_BUILD=1` (CI that
//! has just built them) it only checks that they exist.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use anyhow::{anyhow, bail, Result};

/// Every binary the end-to-end tests run.
pub const BINARIES: [&str; 4] = [
    "eventwire",
    "eventwire-ingest",
    "eventwire-cleaner",
    "eventwire-tagger",
];

/// The workspace root (the parent of this package).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest.join(".."))
}

/// The directory holding the built binaries.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("EVENTWIRE_BIN_DIR") {
        return PathBuf::from(dir);
    }
    target_dir().join("debug")
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` (relative to the workspace when relative),
/// else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) if !t.is_empty() => {
            let t = PathBuf::from(t);
            if t.is_absolute() {
                t
            } else {
                workspace_root().join(t)
            }
        }
        _ => workspace_root().join("target"),
    }
}

/// The path of binary `name`, after making sure the binaries are built (once per process).
pub fn binary(name: &str) -> Result<PathBuf> {
    ensure_built()?;
    let path = bin_dir().join(name);
    if path.is_file() {
        Ok(path)
    } else {
        bail!(
            "binary {name} not found at {}; build the workspace's binaries with `cargo build --bins` \
             (or point EVENTWIRE_BIN_DIR at them)",
            path.display()
        )
    }
}

fn missing() -> Vec<&'static str> {
    let dir = bin_dir();
    BINARIES
        .iter()
        .copied()
        .filter(|b| !dir.join(b).is_file())
        .collect()
}

/// Runs `cargo build --bins` once per process (unless `EVENTWIRE_E2E_NO_BUILD` is set); later
/// calls return the first call's result.
pub fn ensure_built() -> Result<()> {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    BUILT.get_or_init(build).clone().map_err(|e| anyhow!(e))
}

fn build() -> Result<(), String> {
    let skip =
        std::env::var_os("EVENTWIRE_E2E_NO_BUILD").is_some_and(|v| !v.is_empty() && v != "0");
    if skip {
        let gone = missing();
        if gone.is_empty() {
            return Ok(());
        }
        return Err(format!(
            "EVENTWIRE_E2E_NO_BUILD is set but binaries are missing from {}: {}; run `cargo build --bins`",
            bin_dir().display(),
            gone.join(", ")
        ));
    }
    let gone = missing();
    if gone.is_empty() {
        eprintln!("e2e: running `cargo build --bins` so the tests do not run stale binaries");
    } else {
        eprintln!(
            "e2e: binaries missing from {} ({}); running `cargo build --bins` once (this can take a few minutes)",
            bin_dir().display(),
            gone.join(", ")
        );
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let output = Command::new(&cargo)
        .args(["build", "--bins"])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("cannot run `cargo build --bins`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo build --bins` failed ({}), so the end-to-end tests cannot run the services:\n{}",
            output.status,
            crate::tail(&String::from_utf8_lossy(&output.stderr), 60)
        ));
    }
    eprintln!(
        "e2e: binaries ready in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let gone = missing();
    if !gone.is_empty() {
        return Err(format!(
            "`cargo build --bins` succeeded but these binaries are still missing from {}: {}",
            bin_dir().display(),
            gone.join(", ")
        ));
    }
    Ok(())
}
