//! Gazetteer (work in progress).
