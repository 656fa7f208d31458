//! The article-extraction benchmark's metric (work in progress).
