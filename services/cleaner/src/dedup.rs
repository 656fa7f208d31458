//! Near-duplicate detection over clean bodies (work in progress).
