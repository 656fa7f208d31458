//! HTML pages: main-content extraction and the page's metadata (work in progress).
