//! HTML rendered to lines the way a browser's innerText does (work in progress).
