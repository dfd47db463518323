"""The default study's raw 问卷星 export through `sqresearch clean --config`: flow, planted problems, no personal data.

Reference: data/raw/population.json, written by the data generator, lists the
序号 of every submission that breaks each rule (careless.flags) and the rows
with blank Likert answers (missing.rows).
"""

from __future__ import annotations

import argparse
import json

import pandas as pd
import pytest
import yaml

from sqresearch.clean.pii import scan_path
from sqresearch.cli import clean as clean_command
from sqresearch.io import read_survey, read_table, sha256_file
from sqresearch.paths import ROOT

XLSX = ROOT / "data" / "raw" / "wjx_tea_community_text.xlsx"  # what study.yaml names
RAW = XLSX.with_suffix(
    ".csv"
)  # the same export as CSV: read faster, same clean data (test_forms_agree)
CODEBOOK = ROOT / "data" / "codebook.yaml"
POPULATION = json.loads((ROOT / "data" / "raw" / "population.json").read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    """`sqresearch clean ...` without importing every other command (what sqresearch.cli.main does)."""
    parser = argparse.ArgumentParser(prog="sqresearch")
    clean_command.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.run(args)


RULE_OF = {
    "screening": "screened_out",
    "speeder": "speeder",
    "longstring": "straightliner",
    "attention": "attention",
    "duplicates": "duplicate",
}


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("study")
    config = yaml.safe_load((ROOT / "study.yaml").read_text(encoding="utf-8"))
    config["data"] = {
        "raw": str(RAW),
        "codebook": str(CODEBOOK),
        "processed": str(folder / "processed"),
    }
    config["instrument"] = str(ROOT / "instrument.yaml")
    config["allow_outside_paths"] = True  # the shipped export is read where it is
    study = folder / "study.yaml"
    study.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    before = sha256_file(RAW), sha256_file(CODEBOOK)
    import contextlib
    import io

    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = main(["clean", "--config", str(study), "--json"])
    assert status == 0
    return {"out": folder / "processed", "summary": json.loads(stdout.getvalue()), "before": before}


def test_raw_files_unchanged_and_manifest(cleaned):
    out = cleaned["out"]
    assert (sha256_file(RAW), sha256_file(CODEBOOK)) == cleaned["before"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["raw"]["sha256"] == sha256_file(RAW)
    assert (out / manifest["raw"]["path"]).resolve() == RAW.resolve()
    assert manifest["codebook"]["sha256"] == sha256_file(CODEBOOK)
    for name, digest in manifest["outputs"].items():
        assert sha256_file(out / name) == digest


def test_flow_adds_up(cleaned):
    flow = pd.read_csv(cleaned["out"] / "participant_flow.csv")
    received, analysed = flow["n"].iloc[0], flow["n"].iloc[-1]
    assert received == POPULATION["n_rows"] == 520
    assert received == analysed + flow["n"].iloc[1:-1].sum()
    assert flow["remaining"].iloc[-2] == analysed
    assert (
        len(read_table(cleaned["out"] / "clean.csv")) == analysed == cleaned["summary"]["analysed"]
    )


def test_planted_problems_found_exactly(cleaned):
    screening = read_table(cleaned["out"] / "screening.csv")
    truth = POPULATION["careless"]["flags"]
    for rule, kind in RULE_OF.items():
        found = sorted(screening.loc[screening[f"flag_{rule}"] == 1, "ID"].tolist())
        assert found == sorted(truth[kind]), rule
    rules = {r["rule"]: r["n_flagged"] for r in cleaned["summary"]["rules"]}
    assert {rule: rules[rule] for rule in RULE_OF} == {
        rule: POPULATION["careless"]["counts"][kind] for rule, kind in RULE_OF.items()
    }
    # every planted submission is excluded
    excluded = set(screening.loc[screening["excluded_by"].notna(), "ID"])
    assert {row["序号"] for row in POPULATION["careless"]["planted"]} <= excluded


def test_items_and_missing_cells(cleaned):
    clean = read_table(cleaned["out"] / "clean.csv")
    items = [c for c in clean.columns if c[:3].isalpha() and c[3:].isdigit() and c != "ATT1"]
    assert len(items) == 46
    assert clean[items].stack().dropna().isin([1, 2, 3, 4, 5]).all()
    assert (clean["ATT1"] == 4).all()
    report = json.loads((cleaned["out"] / "cleaning_report.json").read_text(encoding="utf-8"))
    blank_rows = set(POPULATION["missing"]["rows"])
    incomplete = set(clean.loc[clean[items].isna().any(axis=1), "ID"])
    assert incomplete <= blank_rows
    assert report["missing"]["complete_cases"] == len(clean) - len(incomplete)
    assert (
        report["missing"]["little_mcar"]["pvalue"] > 0.05
    )  # blanks were planted completely at random


def test_no_personal_data_written(cleaned):
    out = cleaned["out"]
    assert scan_path(out).empty
    raw = read_survey(RAW).data
    contact = [c for c in raw.columns if "手机号" in c][0]
    assert not scan_path(RAW).empty  # the raw export does hold personal data
    values = [v for v in raw[contact].dropna().astype(str) if len(v) > 4] + raw[
        "来自IP"
    ].dropna().str.split("(").str[0].tolist()
    written = "\n".join(
        p.read_text(encoding="utf-8")
        for p in out.iterdir()
        if p.suffix in {".csv", ".json", ".md", ".yaml"}
    )
    assert values and not any(v in written for v in values)
    assert "来自IP" in {r["column"] for r in cleaned["summary"]["personal_data_dropped"]}


def test_flag_instead_of_exclude(tmp_path):
    import contextlib
    import io

    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = main(
            [
                "clean",
                str(RAW),
                "--codebook",
                str(CODEBOOK),
                "--out",
                str(tmp_path),
                "--rule",
                "attention=flag",
                "--json",
            ]
        )
    assert status == 0
    summary = json.loads(stdout.getvalue())
    assert "attention" not in [r["step"] for r in summary["flow"]]
    clean = read_table(tmp_path / "clean.csv")
    assert "flag_attention" in clean.columns and clean["flag_attention"].sum() > 0


@pytest.mark.slow
def test_forms_agree():
    """The xlsx study.yaml names, its CSV copy and the numeric-form export give the same clean data."""
    from sqresearch.clean.pipeline import clean_survey

    frames = [
        clean_survey(path, CODEBOOK).data
        for path in (XLSX, RAW, ROOT / "data/raw/wjx_tea_community_numeric.csv")
    ]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])
