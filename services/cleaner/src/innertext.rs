//! HTML rendered to lines the way a browser's `innerText` does: one line per block-level
//! element, inline elements joined with their own spacing, table cells separated by tabs,
//! invisible content dropped. This is how a plain-text page is made from HTML.
use dom_query::NodeRef;

use crate::html::parse_bounded;

/// Elements whose content is never rendered.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "svg", "math", "head", "template", "iframe", "object", "embed",
    "canvas", "audio", "video", "textarea", "select", "datalist", "input", "img", "map", "title",
    "meta", "link",
];

/// Elements that start and end a line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "plaintext",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "xmp",
];

/// Elements whose white space is kept (line breaks become line ends).
const PREFORMATTED: &[&str] = &["pre", "listing", "plaintext", "xmp"];

/// Renders a page to its visible lines: trimmed, white space collapsed (tabs between table
/// cells kept), no blank lines. A page refused by the HTML bounds (size, nesting depth, see
/// [`crate::html::extract`]) renders to no lines.
pub fn inner_text(html: &str) -> Vec<String> {
    match parse_bounded(html) {
        Ok(doc) => render(doc.root()),
        Err(_) => Vec::new(),
    }
}

enum Step<'a> {
    Enter(NodeRef<'a>),
    Exit { block: bool, pre: bool },
}

#[derive(Default)]
struct Lines {
    out: Vec<String>,
    cur: String,
    space: bool,
    pre: usize,
}

impl Lines {
    fn text(&mut self, t: &str) {
        if self.pre > 0 {
            for (i, part) in t.split('\n').enumerate() {
                if i > 0 {
                    self.flush();
                }
                self.words(part);
            }
        } else {
            self.words(t);
        }
    }

    /// Appends text with white-space runs folded to one space.
    fn words(&mut self, t: &str) {
        for c in t.chars() {
            if c.is_whitespace() {
                self.space = true;
            } else {
                if self.space && !self.cur.is_empty() && !self.cur.ends_with('\t') {
                    self.cur.push(' ');
                }
                self.space = false;
                self.cur.push(c);
            }
        }
    }

    fn cell(&mut self) {
        if !self.cur.is_empty() && !self.cur.ends_with('\t') {
            self.cur.push('\t');
        }
        self.space = false;
    }

    fn flush(&mut self) {
        let line = self.cur.trim();
        if !line.is_empty() {
            self.out.push(line.to_string());
        }
        self.cur.clear();
        self.space = false;
    }
}

fn is_hidden(node: &NodeRef<'_>) -> bool {
    if node.has_attr("hidden") {
        return true;
    }
    if node
        .attr("type")
        .is_some_and(|t| t.eq_ignore_ascii_case("hidden"))
    {
        return true;
    }
    node.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

pub(crate) fn render(root: NodeRef<'_>) -> Vec<String> {
    let mut lines = Lines::default();
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Exit { block, pre } => {
                if pre {
                    lines.pre -= 1;
                }
                if block {
                    lines.flush();
                }
                continue;
            }
            Step::Enter(node) => node,
        };
        if node.is_text() {
            lines.text(&node.text());
            continue;
        }
        if !(node.is_element() || node.is_document() || node.is_fragment()) {
            continue;
        }
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        let name = name.as_str();
        if node.is_element() && (SKIPPED.contains(&name) || is_hidden(&node)) {
            continue;
        }
        match name {
            "br" => {
                lines.flush();
                continue;
            }
            "td" | "th" => lines.cell(),
            _ => {}
        }
        let block = BLOCKS.contains(&name);
        let pre = PREFORMATTED.contains(&name);
        if block {
            lines.flush();
        }
        if pre {
            lines.pre += 1;
        }
        stack.push(Step::Exit { block, pre });
        let children = node.children();
        stack.extend(children.into_iter().rev().map(Step::Enter));
    }
    lines.flush();
    lines.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_inline_and_cells() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
            <nav><a href=/>Home</a> | <a href=/w>World</a></nav>\
            <h1>Talks  in\n Paris</h1><p>The <b>ministers</b>met <i>in</i> Paris.<br>Second line</p>\
            <table><tr><td>a</td><td> b </td></tr><tr><th>c</th></tr></table>\
            <pre>x  y\nz</pre><script>var a = 1;</script></body></html>";
        assert_eq!(
            inner_text(html),
            [
                "Home | World",
                "Talks in Paris",
                "The ministersmet in Paris.",
                "Second line",
                "a\tb",
                "c",
                "x y",
                "z"
            ]
        );
    }
}
