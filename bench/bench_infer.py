"""Codebook inference on questionnaires written for it (issue 15).

Cases: ``bench/infer_cases/<case>.csv`` with ``<case>.truth.yaml`` (written by
``bench/infer_cases/make_cases.py``).  For each case and in total: the share
of Likert items mapped to the right construct and to the right item, the
cross-construct errors (an item applied to a wrong construct, or a non-item
column applied as an item), the unsure proposals, the attention checks found
with the right expected answer, and the demographic answers given a level.
The first table compares the similarity measures at the default cutoff; the
second the cutoffs with the chosen measure.

Run: ``python bench/bench_infer.py`` (or ``python -m bench infer``); copy
the output to docs/benchmarks.md.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import yaml

from sqresearch.clean import infer, similarity
from sqresearch.clean.codebook import normalize_label
from sqresearch.constructs import (
    Catalogue,
    Construct,
    Demographic,
    Framework,
    Item,
    Level,
    load_catalogue,
)
from sqresearch.io import read_survey

CASES = Path(__file__).parent / "infer_cases"


def study_framework(path: Path) -> Framework:
    """A Framework whose catalogue is a study's own instrument (the YAML of the study case)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    shipped = load_catalogue()
    scale = shipped.scales["agree5"]
    constructs = {
        code: Construct(code, code, code, "", "", "study", "", "", "latent",
                        [Item(c, code, zh, en, False, scale) for c, zh, en in items])
        for code, items in doc["constructs"].items()
    }  # fmt: skip
    demographics = {
        code: Demographic(
            code, zh, en, [Level(i, label, label) for i, label in enumerate(levels, 1)]
        )
        for code, (zh, en, levels) in doc["demographics"].items()
    }
    checks = [
        Item(code, "ATT", zh, en, False, scale, expected=expected)
        for code, (zh, en, expected) in doc["attention_checks"].items()
    ]
    catalogue = Catalogue(
        constructs, dict(shipped.scales), demographics, checks, shipped.instrument
    )
    return Framework(
        doc["name"], doc["name"], doc["name"], "study", list(constructs), [], [], catalogue
    )


def case_names() -> list[str]:
    return sorted(p.name.removesuffix(".truth.yaml") for p in CASES.glob("*.truth.yaml"))


def load_case(name: str):
    truth = yaml.safe_load((CASES / f"{name}.truth.yaml").read_text(encoding="utf-8"))
    framework = truth["framework"]
    if framework.endswith(".yaml"):
        framework = study_framework(CASES / framework)
    return read_survey(CASES / f"{name}.csv"), framework, truth


def score(draft: infer.InferredCodebook, truth: dict) -> dict:
    """Counts for one case (see the module docstring)."""
    m = draft.matches.set_index("column")
    items = truth["items"]
    row = dict(items=len(items), construct_ok=0, item_ok=0, cross=0, unsure=0, unsure_right=0)
    for column, code in items.items():
        p = m.loc[column]
        true_construct = code.rstrip("0123456789") or code
        if p["status"] == "mapped" and p["kind"] == "item":
            row["construct_ok"] += p["construct"] == true_construct
            row["item_ok"] += p["code"] == code
            row["cross"] += p["construct"] != true_construct
        elif p["status"] == "unsure":
            row["unsure"] += 1
            row["unsure_right"] += p["construct"] == true_construct
    for column in m.index[(m["status"] == "mapped") & (m["kind"] == "item")]:
        row["cross"] += column not in items  # a non-item column applied as an item
    book = draft.codebook()
    found = {a.column: a.expected for a in book.attention_checks.values()}
    row["attention"] = len(truth["attention"])
    row["attention_ok"] = sum(found.get(c) == e for c, e in truth["attention"].items())
    answers = levelled = 0
    demographics = {d.column: d for d in book.demographics.values()}
    for column, spec in truth["demographics"].items():
        answers += len(spec["answers"])
        d = demographics.get(column)
        if d is None or d.code != spec["code"]:
            continue
        if not d.levels:  # numeric form: the option numbers are the levels
            levelled += len(spec["answers"])
            continue
        known = {normalize_label(k) for k in d.levels}
        levelled += sum(normalize_label(a) in known for a in spec["answers"])
    row["demo_answers"], row["demo_levelled"] = answers, levelled
    row["dropped"] = sum(c in book.drop for c in truth["drop"])
    row["to_drop"] = len(truth["drop"])
    return row


def run(cutoff: float = infer.DEFAULT_CUTOFF) -> pd.DataFrame:
    rows = []
    for name in case_names():
        raw, framework, truth = load_case(name)
        rows.append(
            dict(case=name, **score(infer.infer_codebook(raw, framework, cutoff=cutoff), truth))
        )
    table = pd.DataFrame(rows).set_index("case")
    table.loc["total"] = table.sum()
    return table


def summary(table: pd.DataFrame) -> str:
    t = table.loc["total"]
    return (
        f"construct {t.construct_ok / t['items']:.1%}, item {t.item_ok / t['items']:.1%}, "
        f"cross-construct errors {int(t.cross)}, unsure {int(t.unsure)} ({int(t.unsure_right)} of them right), "
        f"attention {int(t.attention_ok)}/{int(t.attention)}, demographic answers levelled "
        f"{int(t.demo_levelled)}/{int(t.demo_answers)}, personal columns dropped {int(t.dropped)}/{int(t.to_drop)}"
    )


def compare_methods() -> None:
    original = similarity.text_similarity
    candidates = {
        "difflib ratio": dict(method="ratio"),
        "TF-IDF char 1-2": dict(ngram_range=(1, 2)),
        "TF-IDF char 1-3": dict(ngram_range=(1, 3)),
        "TF-IDF char 2-4": dict(ngram_range=(2, 4)),
    }
    for label, kwargs in candidates.items():

        def patched(a, b, _fixed=kwargs, **kw):
            return original(a, b, **{**kw, **_fixed})

        infer.text_similarity = patched
        start = time.perf_counter()
        table = run()
        elapsed = (time.perf_counter() - start) / len(case_names())
        loo = leave_one_out()
        print(
            f"{label:16s} {summary(table)}; {elapsed * 1000:.0f} ms per questionnaire; "
            f"leave one construct out: {loo['applied']} of {loo['items']} applied elsewhere"
        )
    infer.text_similarity = original


def leave_one_out(cutoff: float = infer.DEFAULT_CUTOFF) -> dict:
    """Each case again with one true construct removed from the candidates, in turn.

    Its items then have no right answer: every one applied to another
    construct is a cross-construct error; unsure or unmatched is right.
    """
    original = infer._sources
    counts = dict(runs=0, items=0, applied=0, unsure=0, unmatched=0)
    for name in case_names():
        raw, framework, truth = load_case(name)
        constructs = sorted({c.rstrip("0123456789") for c in truth["items"].values()} - {"STAGE"})
        for removed in constructs:

            def without(fw, removed=removed):
                sources = original(fw)
                return replace(
                    sources, targets=[t for t in sources.targets if t.construct != removed]
                )

            infer._sources = without
            try:
                m = infer.infer_codebook(raw, framework, cutoff=cutoff).matches.set_index("column")
            finally:
                infer._sources = original
            columns = [
                c for c, code in truth["items"].items() if code.rstrip("0123456789") == removed
            ]
            status = m.loc[columns, "status"]
            counts["runs"] += 1
            counts["items"] += len(columns)
            counts["applied"] += int((status == "mapped").sum())
            counts["unsure"] += int((status == "unsure").sum())
            counts["unmatched"] += int((status == "unmatched").sum())
    return counts


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    print(f"{len(case_names())} questionnaires, cutoff {infer.DEFAULT_CUTOFF}")
    compare_methods()
    print()
    for cutoff in (0.5, 0.7, 0.8, 0.9, 0.95, 0.99):
        loo = leave_one_out(cutoff)
        print(
            f"cutoff {cutoff:<5} {summary(run(cutoff))}; leave one construct out: "
            f"{loo['applied']} of {loo['items']} items applied to another construct, "
            f"{loo['unsure']} unsure, {loo['unmatched']} unmatched"
        )
    print()
    print(run().to_string())
