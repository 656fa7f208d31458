#!/usr/bin/env python3
"""Function and file lengths of the workspace's Rust code, for the "no long functions" rule.

    python3 scripts/ops/function-lengths.py [--over 80 --over 120] [--list 120] [--files 10]
                                            [--reasons] [ROOT]

Reads every `.rs` file git tracks below ROOT (default: the repository), with string literals,
character literals and comments blanked out, finds each `fn NAME` that has a body, and counts
the lines from the `fn` line to the line of the body's closing brace. Prints how many functions
are longer than each `--over` limit, every function longer than `--list` lines (default 80),
and the `--files` largest files by line count. With `--reasons`, a listed function without a
`// long:` comment (or "over 80 lines" in its doc comment) right above its `fn` line is flagged (the rule: none
over 120 lines, and none over 80 without a reason written next to it). Python 3 standard
library only; exits 0.
"""
import argparse
import os
import re
import signal
import subprocess
import sys

FN = re.compile(r"\bfn\s+([A-Za-z_][A-Za-z0-9_]*)")
REASON = "// long:"


def blank(text):
    """`text` with comments, strings and char literals replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)

    def keep_newlines(s):
        return "".join("\n" if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(keep_newlines(text[i:j]))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(keep_newlines(text[i:j]))
            i = j
        elif re.match(r"b?r#*\"", text[i:i + 260]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r"b?r(#*)\"", text[i:])
            close = '"' + m.group(1)
            j = text.find(close, i + m.end())
            j = n if j < 0 else j + len(close)
            out.append(keep_newlines(text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(keep_newlines(text[i:j + 1]))
            i = j + 1
        elif c == "'":
            # A char literal ('x', '\n', '\u{1F600}', b'x'), or a lifetime/label ('a, 'outer).
            if i + 1 < n and text[i + 1] == "\\":
                j = text.find("'", i + 2)
                j = n if j < 0 else j
                out.append(keep_newlines(text[i:j + 1]))
                i = j + 1
            elif i + 2 < n and text[i + 2] == "'":
                out.append("   ")
                i += 3
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    """(name, first line, line count) of every function with a body in `path`."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    masked = blank(text)
    line_starts = [0]
    for k, ch in enumerate(masked):
        if ch == "\n":
            line_starts.append(k + 1)

    def line_of(pos):
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    found = []
    for m in FN.finditer(masked):
        j, depth_paren = m.end(), 0
        # The body starts at the first `{` outside parentheses/brackets; a `;` first means none.
        while j < len(masked):
            ch = masked[j]
            if ch in "([":
                depth_paren += 1
            elif ch in ")]":
                depth_paren -= 1
            elif depth_paren == 0 and ch == ";":
                j = -1
                break
            elif depth_paren == 0 and ch == "{":
                break
            j += 1
        if j < 0 or j >= len(masked):
            continue
        depth, k = 0, j
        while k < len(masked):
            if masked[k] == "{":
                depth += 1
            elif masked[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        start, end = line_of(m.start()), line_of(k)
        found.append((m.group(1), start, end - start + 1))
    return found, text.splitlines()


def tracked_rust_files(root):
    try:
        listed = subprocess.run(
            ["git", "-C", root, "ls-files", "-z", "--", "*.rs"],
            check=True, capture_output=True,
        ).stdout.decode().split("\0")
        return [os.path.join(root, p) for p in listed if p]
    except (OSError, subprocess.CalledProcessError):
        return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".rs")]


def has_reason(lines, first_line):
    """A `// long:` comment, or "over 80 lines" in the doc comment, right above the `fn` line
    (through its comments and attributes)."""
    k = first_line - 2
    while k >= 0 and lines[k].strip().startswith(("//", "#[")):
        text = lines[k].lower()
        if REASON in text or "over 80 lines" in text:
            return True
        k -= 1
    return False


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the listing quietly
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    ap.add_argument("--over", type=int, action="append", help="count functions over N lines (repeatable; default 80 and 120)")
    ap.add_argument("--list", type=int, default=80, help="list functions over N lines (default 80)")
    ap.add_argument("--files", type=int, default=10, help="show the N largest files (default 10)")
    ap.add_argument("--reasons", action="store_true", help=f"flag listed functions with no '{REASON}' comment above them")
    args = ap.parse_args()
    root = os.path.normpath(args.root)
    limits = args.over or [80, 120]

    rows, sizes = [], []
    for path in sorted(tracked_rust_files(root)):
        if not os.path.isfile(path):
            continue
        fns, lines = functions(path)
        rel = os.path.relpath(path, root)
        sizes.append((len(lines), rel))
        for name, first, count in fns:
            rows.append((count, rel, first, name, has_reason(lines, first)))

    print(f"functions: {len(rows)} in {len(sizes)} files")
    for limit in limits:
        print(f"over {limit} lines: {sum(1 for r in rows if r[0] > limit)}")
    print(f"\nfunctions over {args.list} lines:")
    for count, rel, first, name, reason in sorted(rows, reverse=True):
        if count > args.list:
            flag = "" if not args.reasons or reason else "  (no reason given)"
            print(f"{count:6}  {rel}:{first}  {name}{flag}")
    print(f"\nthe {args.files} largest files (lines):")
    for count, rel in sorted(sizes, reverse=True)[: args.files]:
        print(f"{count:6}  {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
