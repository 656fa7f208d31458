#!/usr/bin/env python3
"""Measures `eventwire tag` on large inputs: articles/s, cores used and peak memory.

    scripts/measure-oneshot.py [--bin target/release/eventwire] [--sizes 1000,10000,100000]
                               [--muc PATH] [--muc-total 100000]

Two corpora, each piped through `eventwire tag --input - --summary-json` (output discarded):
  * generated short wire stories (a meeting and a casualty report each, invented names), at each
    of --sizes articles;
  * the MUC-4 development inputs repeated (with fresh ids) to --muc-total articles. Repeats are
    exact copies, so the cleaner marks them as duplicates; they are still tagged.
Prints one row per run: articles, wall seconds, articles/s, CPU seconds / wall seconds (cores
used) and peak RSS (from the command's own summary). Run it on an otherwise idle machine.
"""
import argparse
import json
import os
import random
import resource
import subprocess
import sys
import threading
import time

GIVEN = ["Arlen", "Brisa", "Cato", "Delia", "Emrys", "Farah", "Goran", "Hala"]
FAMILY = ["Varrow", "Quillen", "Ostrand", "Mereth", "Tallis", "Brune", "Castel", "Dorn"]
TOWNS = ["Lowmarsh", "Eastfold", "Pellham", "Norbridge"]


def generated(count):
    rng = random.Random(20261207)
    for i in range(count):
        a = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        b = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        town = rng.choice(TOWNS)
        text = (f"Report {i}. Foreign Minister {a} met Prime Minister {b} in {town} on Tuesday "
                f"to discuss trade, officials said. The two leaders agreed to meet again next "
                f"month. Separately, at least {rng.randint(2, 41)} people were killed and "
                f"{rng.randint(1, 60)} injured when a bomb exploded at a market near {town}, "
                f"police said on Monday. Reference {i * 7919 % 100003}.")
        yield json.dumps({"id": f"story-{i:06}", "text": text,
                          "published": f"2026-11-{1 + i % 28:02}"})


def repeated(path, total):
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    for i in range(total):
        r = dict(records[i % len(records)])
        r["id"] = f"{r.get('id', 'doc')}-r{i // len(records)}"
        yield json.dumps(r)


def measure(binary, lines):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen([binary, "tag", "--input", "-", "--summary-json", "--quiet"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)

    def feed():
        try:
            for line in lines:
                proc.stdin.write(line.encode() + b"\n")
        finally:
            proc.stdin.close()

    writer = threading.Thread(target=feed)
    writer.start()
    stderr = proc.stderr.read().decode()
    proc.wait()
    writer.join()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"eventwire tag failed: {stderr}")
    summary = json.loads(stderr.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return summary, wall, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--bin", default=os.path.join(root, "target/release/eventwire"))
    ap.add_argument("--sizes", default="1000,10000,100000")
    muc = os.path.join(root, "../shared/dev/data/muc4-dev.asis.input.jsonl")
    if not os.path.exists(muc):
        muc = os.path.join(root, "tests/fixtures/dev/data/muc4-dev.asis.input.jsonl")
    ap.add_argument("--muc", default=muc)
    ap.add_argument("--muc-total", type=int, default=100000)
    args = ap.parse_args()
    print(f"{'corpus':<28}{'articles':>10}{'wall s':>9}{'art/s':>9}{'cores':>7}{'peak MiB':>10}")
    runs = [(f"generated {int(n):,}", generated(int(n))) for n in args.sizes.split(",") if n]
    if args.muc_total > 0:
        runs.append((f"muc4-dev x{args.muc_total:,}", repeated(args.muc, args.muc_total)))
    for name, lines in runs:
        summary, wall, cpu = measure(args.bin, lines)
        n = summary["articles"]
        peak = (summary.get("peak_rss_bytes") or 0) / 2**20
        print(f"{name:<28}{n:>10}{wall:>9.1f}{n / wall:>9.0f}{cpu / wall:>7.2f}{peak:>10.0f}",
              flush=True)


if __name__ == "__main__":
    main()
