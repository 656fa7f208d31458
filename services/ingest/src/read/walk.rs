//! Recursive, sorted, lazy directory walk that skips hidden entries.
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{format_of, Format};

/// What the walk found at one path.
#[derive(Debug)]
pub(crate) enum Entry {
    /// A regular file in a supported format.
    File(PathBuf, Format),
    /// Something that is not read, and why.
    Skipped(PathBuf, String),
    /// A path that could not be inspected or a directory that could not be listed.
    Error(PathBuf, io::Error),
}

/// Depth-first walk over one directory, each directory's entries in sorted order, so the files
/// come out in `Path` order (component by component). Only one listing per level of depth is
/// held in memory. Entries whose name starts with `.` are left out, silently; symbolic links are
/// followed, and a directory reached a second time (a link loop) is reported as skipped.
pub(crate) struct Walker {
    stack: Vec<std::vec::IntoIter<PathBuf>>,
    visited: HashSet<PathBuf>,
}

impl Walker {
    /// Lists `root`; an error here means the directory itself cannot be read.
    pub(crate) fn new(root: &Path) -> io::Result<Self> {
        let entries = list_dir(root)?;
        let mut visited = HashSet::new();
        if let Ok(c) = fs::canonicalize(root) {
            visited.insert(c);
        }
        Ok(Walker {
            stack: vec![entries.into_iter()],
            visited,
        })
    }
}

pub(crate) const UNSUPPORTED_REASON: &str =
    "unsupported format (not .txt, .html, .htm, .html.gz, .htm.gz, .json, .jsonl or .ndjson)";

impl Iterator for Walker {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            let top = self.stack.last_mut()?;
            let Some(path) = top.next() else {
                self.stack.pop();
                continue;
            };
            if is_hidden(&path) {
                continue;
            }
            let meta = match fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => return Some(Entry::Error(path, e)),
            };
            if meta.is_dir() {
                match fs::canonicalize(&path) {
                    Ok(c) => {
                        if !self.visited.insert(c) {
                            return Some(Entry::Skipped(
                                path,
                                "directory already visited (symbolic link loop)".into(),
                            ));
                        }
                    }
                    Err(e) => return Some(Entry::Error(path, e)),
                }
                match list_dir(&path) {
                    Ok(entries) => self.stack.push(entries.into_iter()),
                    Err(e) => return Some(Entry::Error(path, e)),
                }
                continue;
            }
            if !meta.is_file() {
                return Some(Entry::Skipped(path, "not a regular file".into()));
            }
            return Some(match format_of(&path) {
                Some(f) => Entry::File(path, f),
                None => Entry::Skipped(path, UNSUPPORTED_REASON.into()),
            });
        }
    }
}

fn list_dir(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        out.push(entry?.path());
    }
    out.sort();
    Ok(out)
}

/// Whether the last component of `path` starts with a dot.
pub(crate) fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.as_encoded_bytes().first() == Some(&b'.'))
}
