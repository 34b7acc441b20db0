#!/usr/bin/env python3
"""Generate the industry templates' demo datasets and knowledge bases.

    .venv/bin/python catalog/build_demo.py [--out DIR] [--only finance,medical]

Writes, for each template NAME in finance / medical / general:

    DIR/NAME/demo.jsonl          chat rows {"messages": [...]}, 300-400 per file,
                                 ~65% English / ~35% Chinese
    DIR/NAME/demo_planted.json   1-based line numbers of the defects planted for
                                 the cleaning pipeline (duplicates, PII, HTML, ...)
    DIR/NAME/knowledge.yaml      terms, numeric fact ranges, thesaurus

DIR defaults to the directory of this script (catalog/).  The output is a pure
function of the code: fixed seeds, no clock, no environment, so running the
script twice gives byte-identical files.

All content is hand-written for this project (fact tables and phrasing
templates live in the _*_rows.py modules next to this file); PII values are
synthetic (reserved e-mail domains, fictional phone ranges, random numbers with
valid checksums).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from functools import partial

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import _demo_common as C  # noqa: E402
import _finance_rows  # noqa: E402
import _general_rows  # noqa: E402
import _medical_rows  # noqa: E402
import yaml  # noqa: E402

DOMAINS = {
    "finance": (_finance_rows, 20240601),
    "medical": (_medical_rows, 20240602),
    "general": (_general_rows, 20240603),
}
TARGET_ROWS = 360
ZH_SHARE = 0.35


class Planter:
    """Picks distinct base rows for each planted defect."""

    def __init__(self, rng, rows):
        self.rng = rng
        self.rows = rows
        self.order = list(range(len(rows)))
        rng.shuffle(self.order)
        self.used = set()

    def take(self, lang, action, what, clean_only=False, accept=None):
        """Apply ``action`` to the first unused row in language ``lang``
        (optionally: without earlier plants / passing ``accept``) for which
        it succeeds."""
        for i in self.order:
            if i in self.used:
                continue
            row = self.rows[i]
            if row.lang != lang or (clean_only and row.plants) or (accept and not accept(row)):
                continue
            if action(row):
                self.used.add(i)
                return row
        raise RuntimeError(f"no row available to plant {what}")


def _exact_duplicate(extra, row):
    d = row.copy()
    d.source = row
    d.plants.append({"kind": "exact_duplicate"})
    extra.append(d)
    return True


def _near_duplicate(rng, extra, row):
    d = C.make_near_duplicate(rng, row)
    if d is None:
        return False
    extra.append(d)
    return True


def build_domain(name):
    mod, seed = DOMAINS[name]
    rng = random.Random(seed)
    plan = mod.PLAN
    pool = C.SimilarityPool()

    extra = []  # rows that exist only as planted defects
    oor = mod.out_of_range_rows(rng) if hasattr(mod, "out_of_range_rows") else []
    for row in oor:
        if not pool.offer(row):
            raise RuntimeError("out-of-range row too similar to another row")
    extra += oor

    n_base = TARGET_ROWS - plan["exact_duplicate"] - plan["near_duplicate"] - len(oor)
    base = mod.build_rows(rng, n_base, ZH_SHARE, pool)
    assert len(base) == n_base, (name, len(base), n_base)

    p = Planter(rng, base)

    # PII in user turns
    plant_pii = getattr(mod, "plant_pii", C.plant_pii_sentence)
    pii_ok = getattr(mod, "pii_ok", None)
    for kind, lang, fmt in mod.PII_PLAN:
        accept = partial(pii_ok, kind=kind) if pii_ok else None
        p.take(lang, partial(plant_pii, rng, kind=kind, fmt=fmt), f"pii:{kind}", accept=accept)

    for i in range(plan["html"]):
        p.take("zh" if i % 3 == 2 else "en", partial(C.plant_html, rng), "html")
    for i in range(plan["mojibake"]):
        p.take("zh" if i % 3 == 2 else "en", partial(C.plant_mojibake, rng), "mojibake")
    for i in range(plan.get("misspelled_term", 0)):
        lang = "zh" if i % 2 else "en"
        table = [(c, w) for c, w in mod.MISSPELLINGS if bool(C.CJK_RE.search(c)) == (lang == "zh")]
        p.take(lang, partial(C.plant_misspelling, rng, table=table), "misspelled_term")

    # duplicates of clean rows (the source rows stay clean)
    for i in range(plan["exact_duplicate"]):
        p.take("zh" if i % 3 == 2 else "en", partial(_exact_duplicate, extra), "exact_duplicate", clean_only=True)
    for i in range(plan["near_duplicate"]):
        p.take("zh" if i % 2 else "en", partial(_near_duplicate, rng, extra), "near_duplicate", clean_only=True)

    rows = base + extra
    rng.shuffle(rows)
    line_of = {id(r): i + 1 for i, r in enumerate(rows)}
    items = []
    for r in rows:
        for plant in r.plants:
            item = {"line": line_of[id(r)]}
            item.update(plant)
            if r.source is not None:
                item["of_line"] = line_of[id(r.source)]
            items.append(item)
    items.sort(key=lambda it: (it["line"], it["kind"]))
    counts = {}
    for it in items:
        key = it["kind"] if it["kind"] != "pii" else "pii:" + it["type"]
        counts[key] = counts.get(key, 0) + 1
    planted = {
        "dataset": name,
        "file": "demo.jsonl",
        "rows": len(rows),
        "line_numbers": "1-based",
        "similarity": {
            "measure": f"Jaccard of character {C.SHINGLE_N}-gram shingles over lower-cased, "
            "whitespace-collapsed user+assistant text",
            "unplanted_pairs_below": C.MAX_NATURAL_SIMILARITY,
            "near_duplicates_at_least": C.MIN_NEAR_DUP_SIMILARITY,
        },
        "counts": dict(sorted(counts.items())),
        "items": items,
    }
    return rows, planted, mod.knowledge()


def write_domain(out_dir, name, rows, planted, knowledge):
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "demo.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(r.to_json() + "\n")
    with open(os.path.join(d, "demo_planted.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(planted, ensure_ascii=False, indent=1) + "\n")
    with open(os.path.join(d, "knowledge.yaml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(
            f"# Knowledge base for the {name} template: generated by catalog/build_demo.py\n"
            f"# (edit the tables in catalog/_{name}_rows.py and re-run).\n"
            "# terms: domain vocabulary (English and Chinese) for the terminology check.\n"
            "# facts: plausible numeric ranges; claims outside [min, max] are flagged.\n"
            "# thesaurus: synonym groups for synonym-swap augmentation.\n"
        )
        f.write(yaml.safe_dump(knowledge, allow_unicode=True, sort_keys=False, width=1000))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=HERE, help="output directory (default: catalog/)")
    ap.add_argument("--only", default=",".join(DOMAINS), help="comma-separated template names")
    args = ap.parse_args(argv)
    for name in args.only.split(","):
        rows, planted, knowledge = build_domain(name)
        write_domain(args.out, name, rows, planted, knowledge)
        zh = sum(r.lang == "zh" for r in rows)
        print(f"{name}: {len(rows)} rows, {zh / len(rows):.1%} Chinese, planted {planted['counts']}")


if __name__ == "__main__":
    main()
