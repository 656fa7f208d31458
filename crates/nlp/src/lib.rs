//! Segmentation, people and entities (work in progress).
