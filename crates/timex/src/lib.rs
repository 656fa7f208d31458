//! Dates and numbers in news text (work in progress).
