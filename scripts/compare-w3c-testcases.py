#!/usr/bin/env python3
"""Runs `mspod validate` on the W3C Feed Validator's own test cases and checks that mspod
flags (or does not flag) the rule that corresponds to each case's expected message.

Usage: python3 scripts/compare-w3c-testcases.py PATH/TO/feedvalidator [MSPOD_BINARY]

The test cases are not part of this repository: clone https://github.com/w3c/feedvalidator
(the results in tests/fixtures/validate/W3C-TESTCASES.md used commit 43dabeb). Each case
carries `Expect: Class{param:value}` (the validator must emit Class) or `Expect: !Class`
(it must not); see the feedvalidator's src/validtest.py. Only the message classes mapped
below are compared; the mapping is written from the two validators' documentation.
"""
import collections
import json
import os
import re
import subprocess
import sys

# W3C message class → mspod rule ids that report the same defect.
MAP = {
    "InvalidDuration": {"apple/duration"},
    "DuplicateElement": {"rss/duplicate-element", "rss/duplicate-element-same"},
    "InvalidItunesCategory": {"apple/category-name"},
    "ObsoleteItunesCategory": {"apple/category-obsolete"},
    "InvalidItunesChannelType": {"apple/type"},
    "InvalidItunesEpisodeType": {"apple/episode-type"},
    "InvalidPositiveInteger": {"apple/episode", "apple/season"},
    "InvalidTrueFalse": {"apple/explicit-value", "apple/explicit-legacy", "xml/edge-space"},
    "InvalidYesNoClean": {"apple/block", "apple/explicit-legacy"},
    "MissingItunesEmail": {"apple/owner"},
    "UnsupportedItunesFormat": {"apple/enclosure-format"},
    "NotUTF8": {"xml/encoding"},
    "InvalidIntegerAttribute": {"rss/enclosure-length"},
    "InvalidNonNegativeInteger": {"rss/enclosure-length"},
    "InvalidMIMEAttribute": {"rss/enclosure-type"},
    "InvalidURLAttribute": {"rss/enclosure-url"},
    "DuplicateValue": {"rss/guid-unique"},
    "NotSufficientlyUnique": {"rss/guid-numeric"},
    "InvalidBooleanAttribute": {"rss/guid-ispermalink"},
    "InvalidHttpGUID": {"rss/guid-permalink-url", "xml/empty-value", "apple/guid"},
    "InvalidPermalink": {"rss/guid-permalink-url"},
    "MissingGuid": {"rss/guid-missing", "apple/guid"},
    "InvalidLanguage": {"rss/language"},
    "InvalidRFC2822Date": {"rss/date", "rss/date-weekday"},
    "IncorrectDOW": {"rss/date-weekday"},
    "ProblematicalRFC822Date": {"rss/date-form"},
    "ImplausibleDate": {"rss/date-plausible"},
    "UndefinedNamedEntity": {"xml/entity"},
    "ContainsHTML": {"rss/html-in-text", "rss/double-escaped"},
    "MissingAtomSelfLink": {"rss/atom-self"},
}
# Classes whose meaning depends on the element: (class, element) → rules.
MAP_BY_ELEMENT = {
    ("MissingItunesElement", "itunes:category"): {"apple/category"},
    ("MissingItunesElement", "itunes:explicit"): {"apple/explicit"},
    ("MissingItunesElement", "language"): {"apple/language"},
    ("MissingElement", "itunes:email"): {"apple/owner"},
    ("InvalidLink", "itunes:image"): {"apple/image"},
    ("InvalidLink", "href"): {"apple/image"},
    ("MissingAttribute", "itunes:image"): {"apple/image"},
    ("MissingAttribute", "itunes:category"): {"apple/category"},
    ("MissingAttribute", "enclosure"): {"rss/enclosure-attributes"},
    ("UnexpectedAttribute", "guid"): {"rss/guid-ispermalink"},
    ("UndefinedElement", "itunes:duration"): {"apple/duration-in-channel"},
    ("InvalidLink", "link"): {"rss/channel-link", "rss/link-url"},
    ("InvalidContact", "itunes:email"): {"apple/owner"},
    ("NotBlank", "title"): {"rss/channel-title"},
    ("TooLong", "itunes:keywords"): {"apple/length-255"},
    ("TooLong", "itunes:subtitle"): {"apple/length-255"},
}
DIRS = ["testcases/ext/itunes", "testcases/rss20", "testcases/rss", "testcases/xml"]
EXPECT = re.compile(r"Description:\s*(.*?)\s*Expect:\s*(!?)(\w*)(?:{(.*?)})?", re.S)


def main():
    root = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/debug/mspod"
    tally = collections.defaultdict(lambda: [0, 0])
    misses = []
    total = 0
    for d in DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for name in sorted(files):
                if not name.endswith(".xml"):
                    continue
                path = os.path.join(dirpath, name)
                head = open(path, "rb").read(4000).decode("utf-8", "replace")
                m = EXPECT.search(head)
                if not m:
                    continue
                negative, cls, params = m.group(2) == "!", m.group(3), m.group(4) or ""
                element = dict(p.split(":", 1) for p in params.split(",") if ":" in p).get("element", "")
                rules = MAP_BY_ELEMENT.get((cls, element)) or MAP.get(cls)
                if not rules:
                    continue
                total += 1
                out = subprocess.run([binary, "validate", "--format", "json", path],
                                     capture_output=True, timeout=30).stdout
                got = {d["rule"] for f in json.loads(out)["feeds"] for d in f["diagnostics"]}
                ok = not (got & rules) if negative else bool(got & rules)
                key = ("!" if negative else "") + cls
                tally[key][0 if ok else 1] += 1
                if not ok:
                    misses.append(f"{os.path.relpath(path, root)}: Expect {key}{{{params}}}; mspod: {sorted(got & rules) or 'none of ' + str(sorted(rules))}")
    agree = sum(v[0] for v in tally.values())
    print(f"{total} mapped test cases; mspod agrees on {agree}, differs on {total - agree}\n")
    print("| expectation | agree | differ |\n|---|---|---|")
    for key in sorted(tally):
        print(f"| {key} | {tally[key][0]} | {tally[key][1]} |")
    print("\nDifferences:")
    for m in misses:
        print("- " + m)


if __name__ == "__main__":
    main()
