#!/usr/bin/env python3
"""Unit tests for compare_spacy.py's pure parts (no spaCy needed):
python3 -m unittest discover -s scripts/entities"""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_spacy as c  # noqa: E402

TEXT = "Rubio met Macron in Paris. Rubio\u2019s aide said two talks were held in Paris."


class Matching(unittest.TestCase):
    def test_strict_needs_same_text_lenient_only_overlap(self):
        ref = [c.Mention("person", 0, 5, "Rubio"), c.Mention("location", 20, 25, "Paris")]
        hyp = [c.Mention("person", 0, 9, "Rubio met"), c.Mention("location", 20, 25, "paris")]
        self.assertEqual(c.match(ref, hyp, lenient=False), 1)
        self.assertEqual(c.match(ref, hyp, lenient=True), 2)

    def test_one_to_one_and_class_must_agree(self):
        ref = [c.Mention("person", 0, 5, "Rubio")]
        hyp = [c.Mention("person", 0, 5, "Rubio"), c.Mention("person", 0, 5, "Rubio"),
               c.Mention("location", 0, 5, "Rubio")]
        self.assertEqual(c.match(ref, hyp, lenient=True), 1)

    def test_maximum_matching(self):
        text = "New York City Hall"
        ref = [c.Mention("location", 0, 8, text[0:8]), c.Mention("location", 9, 18, text[9:18])]
        hyp = [c.Mention("location", 4, 13, text[4:13]), c.Mention("location", 0, 3, text[0:3])]
        self.assertEqual(c.match(ref, hyp, lenient=True), 2)


class OurOutput(unittest.TestCase):
    def test_offsets_checked_and_text_order_fallback(self):
        second_paris = TEXT.rindex("Paris")
        record = {"entities": [
            {"kind": "place", "text": "Paris", "start": second_paris, "end": second_paris + 5},
            {"kind": "person", "text": "Rubio", "start": 3, "end": 8},  # wrong offsets
            {"kind": "country", "text": "Paris"},  # no offsets: first "Paris" by text order
            {"kind": "time", "text": "Paris", "start": 20, "end": 25},  # kind not compared
        ]}
        mentions, bad = c.our_mentions(record, TEXT)
        self.assertEqual(bad, 2)
        self.assertEqual([(m.cls, m.start, m.text) for m in mentions],
                         [("location", second_paris, "Paris"), ("person", 0, "Rubio"),
                          ("location", 20, "Paris")])

    def test_norm_folds_quotes_accents_case(self):
        self.assertEqual(c.norm("Jean-No\u00ebl  Barrot\u2019s"), "jean-noel barrot's")


class Gold(unittest.TestCase):
    def test_demonyms_and_optional_do_not_count(self):
        article = {"body": TEXT, "entities": [
            {"kind": "person", "text": "Rubio", "occurrence": 2, "start": 27, "end": 32},
            {"kind": "country", "text": "Rubio", "occurrence": 1, "demonym": True},
            {"kind": "number", "text": "two", "occurrence": 1, "optional": True},
        ]}
        scored, optional = c.gold_mentions(article, TEXT)
        self.assertEqual([(m.cls, m.start) for m in scored], [("person", 27)])
        self.assertEqual(len(optional), 2)
        table = {k: c.Prf() for k in c.GOLD_CLASSES}
        hyp = [c.Mention("person", 27, 32, "Rubio"), c.Mention("number", 45, 48, "two"),
               c.Mention("person", 10, 16, "Macron")]
        c.score_against_gold(scored, optional, hyp, False, table)
        self.assertEqual((table["person"].tp, table["person"].n_ref, table["person"].n_hyp), (1, 1, 2))
        self.assertEqual((table["number"].tp, table["number"].n_ref, table["number"].n_hyp), (0, 0, 0))

    def test_gold_relocated_when_text_differs(self):
        article = {"body": TEXT, "entities": [{"kind": "place", "text": "Paris", "occurrence": 2,
                                                "start": 70, "end": 75}]}
        other = "Menu\n" + TEXT
        scored, _ = c.gold_mentions(article, other)
        self.assertEqual(scored[0].start, other.rindex("Paris"))


class Files(unittest.TestCase):
    def test_bad_jsonl_line_is_named(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.write(json.dumps({"id": "a"}) + "\n\n{oops\n")
        try:
            with self.assertRaises(SystemExit) as cm:
                c.read_jsonl(f.name)
            self.assertIn(":3:", str(cm.exception))
        finally:
            os.unlink(f.name)

    def test_speed(self):
        s = c.speed(2_000_000, 2_000_000, 2.0, 0.5)
        self.assertEqual((s["chars_per_s"], s["mb_per_s"]), (1_000_000, 1.0))
        self.assertEqual(s["chars_per_cpu_s"], 4_000_000)
        self.assertIsNone(c.speed(1, 1, 0.0)["chars_per_s"])


if __name__ == "__main__":
    unittest.main()
