"""A corpus of bad and awkward inputs, generated here, with the outcome each must have.

Every case runs a command in-process (``sqresearch.cli.main``) and states
what must happen: an error (exit 2, one line on stderr matching a pattern),
a result with a warning in its JSON ``warnings`` field, or a result.  No case
may print a Python traceback, ``np.int64(...)``-style values, or a raw
two-line Python warning.  A few cases also run as subprocesses.

Issue 17 points: 1 codebook, 2 answer ranges, 3 personal data, 4 formula
injection, 5 degenerate models, 6 xlsx formulas and encodings, 8 output
paths and configs, 9 one convention for rows and clean stdout.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sqresearch.cli import main

LIKERT = ["非常不同意", "不同意", "一般", "同意", "非常同意"]
MODEL = "F1 =~ A1 + A2 + A3\nF2 =~ B1 + B2 + B3\n"


# --------------------------------------------------------------------------- data
def likert_items(n: int = 120, seed: int = 1) -> pd.DataFrame:
    """Two correlated 3-item factors on a 1-5 scale, X/M/W/Y scores and a group."""
    rng = np.random.default_rng(seed)
    f1, f2 = rng.normal(size=n), rng.normal(size=n)
    f2 = 0.5 * f1 + np.sqrt(0.75) * f2
    d = pd.DataFrame({"序号": np.arange(1001, 1001 + n)})
    for name, f in (("A", f1), ("B", f2)):
        for i in (1, 2, 3):
            d[f"{name}{i}"] = np.clip(np.round(3 + f + rng.normal(scale=0.8, size=n)), 1, 5).astype(int)
    d["X"] = d[["A1", "A2", "A3"]].mean(axis=1)
    d["M"] = d[["B1", "B2", "B3"]].mean(axis=1)
    d["W"] = np.clip(np.round(3 + rng.normal(size=n)), 1, 5)
    d["Y"] = np.clip(np.round(3 + 0.5 * f2 + rng.normal(size=n)), 1, 5)
    d["G"] = np.where(rng.random(n) < 0.5, 1, 2)
    return d


def raw_survey(n: int = 60, seed: int = 2) -> pd.DataFrame:
    """A small 问卷星-like export in text form."""
    rng = np.random.default_rng(seed)
    f = rng.normal(size=n)
    d = pd.DataFrame({"序号": np.arange(1, n + 1), "所用时间": rng.integers(200, 600, n)})
    for i in (1, 2, 3, 4):
        codes = np.clip(np.round(3 + f + rng.normal(scale=0.7, size=n)), 1, 5).astype(int)
        d[f"q{i}"] = [LIKERT[c - 1] for c in codes]
    d["att"] = "同意"
    d["性别"] = rng.choice(["男", "女"], n)
    d["备注"] = "无"
    return d


def codebook(**changes) -> dict:
    doc = {
        "version": 1,
        "id": "序号",
        "duration": "所用时间",
        "scales": {"agree5": {"points": 5, "labels": dict(zip(LIKERT, range(1, 6), strict=True))}},
        "items": {f"X{i}": {"column": f"q{i}", "scale": "agree5", "reverse": False} for i in (1, 2, 3, 4)},
        "attention_checks": {"ATT": {"column": "att", "scale": "agree5", "expected": 4}},
        "demographics": {"GENDER": {"column": "性别", "levels": {"男": 1, "女": 2}}},
        "careless": {r: {"action": "off"} for r in ("duplicates", "speeder", "longstring", "irv", "mahalanobis")},
    }
    doc.update(changes)
    return doc


@dataclass
class Case:
    """One bad input: files to write, the command, and the expected outcome."""

    id: str
    point: int
    argv: list[str]
    files: dict  # name -> DataFrame (csv), str (text), bytes, or dict (YAML)
    expect: str  # "error", "warning" or "ok"
    pattern: str = ""  # regex on the error line, or on the JSON warnings
    check: object = None  # callable(tmp_path, stdout) for "ok"/"warning" cases


def _write(folder: Path, files: dict) -> None:
    for name, content in files.items():
        path = folder / name
        if isinstance(content, pd.DataFrame):
            content.to_csv(path, index=False)
        elif isinstance(content, dict):
            path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
        elif isinstance(content, bytes):
            path.write_bytes(content)
        elif callable(content):
            content(path)
        else:
            path.write_text(content, encoding="utf-8")


def _with(frame: pd.DataFrame, **cells) -> pd.DataFrame:
    """A copy with ``column=(row position, value)`` cells replaced (object columns)."""
    out = frame.copy()
    for column, (row, value) in cells.items():
        out[column] = out[column].astype(object)
        out.loc[out.index[row], column] = value
    return out


def _xlsx_with_uncached_formulas(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    data = likert_items(30)
    ws.append(["序号", "A1", "A2", "A3"])
    for i, row in enumerate(data[["序号", "A1", "A2", "A3"]].itertuples(index=False), start=2):
        ws.append([row[0], row[1], f"=B{i}" if i in (4, 9) else row[2], row[3]])
    wb.save(path)


DATA = likert_items()
RAW = raw_survey()
REL = ["reliability", "d.csv", "--scale", "A=A1,A2,A3", "--json"]
MED = ["mediate", "d.csv", "--x", "X", "--m", "M", "--y", "Y", "--boot", "100", "--seed", "1", "--json"]
MOD = ["moderate", "d.csv", "--x", "X", "--w", "W", "--y", "Y", "--json"]
CMP = ["compare", "d.csv", "--by", "G", "--var", "A=A1,A2,A3", "--json"]
SEM = ["sem", "m.txt", "d.csv", "--json"]
INV = ["invariance", "m.txt", "d.csv", "--group", "G", "--json"]
CLEAN = ["clean", "raw.csv", "--codebook", "cb.yaml", "--out", "out", "--json"]
BAD_CELLS = {"A1": (3, 0), "A2": (10, 8), "A3": (20, -1), "B1": (30, 99)}


def _clean_csv(tmp: Path) -> str:
    return (tmp / "out" / "clean.csv").read_text(encoding="utf-8-sig")


def _no_pii_in_clean(tmp: Path, out: str) -> None:
    from sqresearch.clean.pii import scan_path

    text = _clean_csv(tmp)
    for leak in ("1234", "5678", "tea_lover", "8888", "文三路", "张三", "一三八"):
        assert leak not in text, leak
    assert scan_path(tmp / "out").empty
    assert "pii_redacted" in (tmp / "out" / "cleaning_report.json").read_text(encoding="utf-8")


def _formulas_neutralised(tmp: Path, out: str) -> None:
    clean = pd.read_csv(tmp / "out" / "clean.csv", dtype=str)
    screening = pd.read_csv(tmp / "out" / "screening.csv", dtype=str)
    for frame in (clean, screening):
        ids = frame["ID"].tolist()
        assert "'=HYPERLINK(\"http://x\",\"y\")" in ids and "'@SUM(1,1)" in ids and "'+cmd|' /C calc'!A0" in ids
        assert not any(str(v).startswith(("=", "+", "@")) for v in ids)
    assert clean["NOTE"].tolist().count("'-2+3") == 1


def _json_has(key: str, value) -> object:
    def check(tmp: Path, out: str) -> None:
        assert json.loads(out)[key] == value

    return check


def _reverse_false(tmp: Path, out: str) -> None:
    applied = yaml.safe_load((tmp / "out" / "codebook.yaml").read_text(encoding="utf-8").split("\n", 2)[2])
    assert applied["items"]["X2"]["reverse"] is False
    assert applied["items"]["X3"]["reverse"] is True


def _json_only(tmp: Path, out: str) -> None:
    doc = json.loads(out)  # the whole of stdout is one JSON document
    assert doc["text"].startswith("#")


def _cases() -> list[Case]:
    cases: list[Case] = []
    add = cases.append
    cb = codebook()
    # ---- 1. the codebook, parsed strictly, before any data is touched --------------
    add(Case("duplicate-key", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": "version: 1\nscales:\n  s: {points: 5, labels: {同意: 4, 同意: 2}}\n"}, "error", r"cb\.yaml.*line 3: duplicate key '同意'"))
    add(Case("reverse-否-is-false", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(items={**cb["items"], "X2": {"column": "q2", "scale": "agree5", "reverse": "否"}, "X3": {"column": "q3", "scale": "agree5", "reverse": "是"}})}, "ok", check=_reverse_false))
    add(Case("reverse-maybe", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(items={**cb["items"], "X2": {"column": "q2", "scale": "agree5", "reverse": "maybe"}})}, "error", r"cb\.yaml: value 'maybe': items\.X2\.reverse must be true or false \(or 是/否\)"))
    add(Case("reverse-yes-string", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(items={**cb["items"], "X2": {"column": "q2", "scale": "agree5", "reverse": "yes"}})}, "error", r"items\.X2\.reverse must be true or false"))
    add(Case("label-outside-points", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(scales={"agree5": {"points": 5, "labels": {**cb["scales"]["agree5"]["labels"], "非常同意": 7}}})}, "error", r"value 7: scales\.agree5\.labels\.非常同意 must be 1\.\.5"))
    add(Case("two-labels-one-number", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(scales={"agree5": {"points": 5, "labels": {**cb["scales"]["agree5"]["labels"], "非常同意": 4}}})}, "error", r"scales\.agree5\.labels maps 2 labels to 4, which would merge answer categories"))
    add(Case("two-labels-declared-synonyms", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(scales={"agree5": {"points": 5, "synonyms": True, "labels": {**cb["scales"]["agree5"]["labels"], "Agree": 4}}})}, "ok", check=_json_has("analysed", 60)))
    for bad in ("five", "四", [5], True, 1):
        add(Case(f"points-{bad}", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(scales={"agree5": {"points": bad, "labels": cb["scales"]["agree5"]["labels"]}})}, "error", r"scales\.agree5\.points must be (a whole number|2\.\.|at least 2)"))
    add(Case("items-as-list", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(items=[{"column": "q1", "scale": "agree5"}])}, "error", r"items must be a mapping .*not a list"))
    add(Case("labels-as-list", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(scales={"agree5": {"points": 5, "labels": LIKERT}})}, "error", r"scales\.agree5\.labels must be a mapping"))
    add(Case("expected-outside-scale", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(attention_checks={"ATT": {"column": "att", "scale": "agree5", "expected": 9}})}, "error", r"attention_checks\.ATT\.expected must be 1\.\.5"))
    add(Case("attention-excludes-all", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(attention_checks={"ATT": {"column": "att", "scale": "agree5", "expected": 2}})}, "error", r"no respondent would be analysed: the attention rule excludes 60 of 60"))
    add(Case("attention-excludes-most", 1, CLEAN, {"raw.csv": RAW.assign(att=["不同意"] * 40 + ["同意"] * 20), "cb.yaml": cb}, "error", r"the attention rule would exclude 40 of 60 submissions \(67%, more than the 50% allowed\)"))
    add(Case("exclusion-share-raised", 1, CLEAN, {"raw.csv": RAW.assign(att=["不同意"] * 40 + ["同意"] * 20), "cb.yaml": codebook(max_exclusion_share=0.8)}, "ok", check=_json_has("analysed", 20)))
    add(Case("one-respondent", 1, CLEAN, {"raw.csv": RAW.head(1), "cb.yaml": cb}, "error", r"every respondent gave item X1 the same answer"))
    add(Case("max-share-text", 1, CLEAN, {"raw.csv": RAW, "cb.yaml": codebook(max_exclusion_share="half")}, "error", r"max_exclusion_share must be a share"))
    # ---- 2. every answer checked against its scale ---------------------------------
    bad = _with(DATA, **BAD_CELLS)
    add(Case("reliability-out-of-range", 2, [*REL, "--points", "5"], {"d.csv": bad}, "error", r"d\.csv: column 'A1', row 1004, value 0(\.0)?: answer outside the 1-5 scale"))
    add(Case("reliability-fraction", 2, [*REL, "--points", "5"], {"d.csv": _with(DATA, A2=(0, 2.5))}, "error", r"column 'A2', row 1001, value 2\.5: answer outside the 1-5 scale"))
    add(Case("sem-out-of-range", 2, [*SEM, "--points", "5"], {"d.csv": bad, "m.txt": MODEL}, "error", r"column 'A1', row 1004, value 0(\.0)?: answer outside"))
    add(Case("invariance-out-of-range", 2, [*INV, "--points", "5"], {"d.csv": bad, "m.txt": MODEL}, "error", r"column 'A1', row 1004"))
    add(Case("compare-out-of-range", 2, [*CMP, "--points", "5"], {"d.csv": bad}, "error", r"column 'A1', row 1004"))
    add(Case("mediate-out-of-range", 2, [*MED, "--points", "5"], {"d.csv": _with(DATA, Y=(5, 99))}, "error", r"column 'Y', row 1006, value 99(\.0)?: answer outside the 1-5 scale"))
    add(Case("moderate-out-of-range", 2, [*MOD, "--points", "5"], {"d.csv": _with(DATA, W=(7, 0))}, "error", r"column 'W', row 1008, value 0(\.0)?"))
    add(Case("clean-numeric-out-of-range", 2, CLEAN, {"raw.csv": _with(RAW, q2=(4, 8)), "cb.yaml": cb}, "error", r"column 'q2', row 5, value '?8'?: X2 must be a whole number from 1 to 5"))
    add(Case("clean-inf", 2, CLEAN, {"raw.csv": _with(RAW, q3=(6, "inf")), "cb.yaml": cb}, "error", r"column 'q3', row 7, value 'inf': answer to X3 is not a label of its scale"))
    add(Case("clean-true", 2, CLEAN, {"raw.csv": _with(RAW, q3=(8, "TRUE")), "cb.yaml": cb}, "error", r"column 'q3', row 9, value 'TRUE': answer to X3 is not a label"))
    booleans = DATA.assign(A2=np.where(DATA["A2"] > 3, "TRUE", "FALSE"))
    for name, argv, files in (
        ("reliability", REL, {"d.csv": booleans}),
        ("sem", SEM, {"d.csv": booleans, "m.txt": MODEL}),
        ("compare", CMP, {"d.csv": booleans}),
        ("mediate", [*MED[:2], "--x", "A2", *MED[4:]], {"d.csv": booleans}),
    ):
        add(Case(f"{name}-booleans", 2, argv, {**files}, "error", r"column 'A2', row 1001, value (True|False): true/false is not an answer code"))
    inf = _with(DATA, A3=(2, "inf"))
    add(Case("reliability-inf", 2, REL, {"d.csv": inf}, "error", r"column 'A3', row 1003, value inf: infinity is not an answer"))
    add(Case("sem-inf", 2, SEM, {"d.csv": inf, "m.txt": MODEL}, "error", r"column 'A3', row 1003, value inf"))
    add(Case("moderate-inf", 2, [*MOD[:2], "--x", "A3", *MOD[4:]], {"d.csv": inf}, "error", r"column 'A3', row 1003, value inf"))
    add(Case("no-id-row-is-1-based", 9, REL, {"d.csv": _with(DATA.drop(columns="序号"), A1=(2, "五"))}, "error", r"column 'A1', row 3, value '五': not a number"))
    # ---- 3. personal data --------------------------------------------------------
    notes = [
        "请联系 138 1234 5678",
        "+86 138 1234 5678",
        "电话138-1234-5678",
        "座机(0571)8888-1234",
        "寄到文三路100号 张三收",
        "加我vx tea_lover_88",
        "手机一三八一二三四五六七八",
        "邮箱 a.b@example.com",
        "身份证330106199001011234",
        "收件人: 张三",
    ]
    pii_raw = RAW.assign(备注=(notes * 6)[: len(RAW)])
    add(Case("pii-kept-column-redacted", 3, CLEAN, {"raw.csv": pii_raw, "cb.yaml": codebook(keep={"备注": "NOTE"})}, "ok", check=_no_pii_in_clean))
    add(Case("pii-free-text-dropped", 3, CLEAN, {"raw.csv": pii_raw, "cb.yaml": cb}, "ok", check=lambda tmp, out: "备注" not in _clean_csv(tmp) and "NOTE" not in _clean_csv(tmp)))
    add(Case("pii-in-header", 3, CLEAN, {"raw.csv": RAW.rename(columns={"备注": "联系13812345678"}), "cb.yaml": cb}, "ok", check=lambda tmp, out: "13812345678" not in "".join(p.read_text(encoding="utf-8-sig") for p in (tmp / "out").glob("*.*"))))
    add(Case("pii-mapped-phone-column", 3, CLEAN, {"raw.csv": RAW.assign(手机号=[f"1381234{i:04d}" for i in range(60)]), "cb.yaml": codebook(keep={"手机号": "PHONE"})}, "error", r"column '手机号': the codebook maps this personal-data column \(phone\)"))
    # ---- 4. spreadsheet formulas -----------------------------------------------------
    inject = RAW.assign(序号=RAW["序号"].astype(str)).pipe(
        _with, 序号=(0, '=HYPERLINK("http://x","y")')
    ).pipe(_with, 序号=(1, "@SUM(1,1)")).pipe(_with, 序号=(2, "+cmd|' /C calc'!A0")).assign(
        备注=["-2+3"] + ["ok"] * 59
    )
    add(Case("formula-injection", 4, CLEAN, {"raw.csv": inject, "cb.yaml": codebook(keep={"备注": "NOTE"})}, "ok", check=_formulas_neutralised))
    # ---- 5. degenerate analyses --------------------------------------------------------
    add(Case("mediate-constant-x", 5, MED, {"d.csv": DATA.assign(X=3.0)}, "error", r"X \(column 'X'\) is constant \(every analysed row has 3\)"))
    add(Case("moderate-constant-w", 5, MOD, {"d.csv": DATA.assign(W=2)}, "error", r"W \(column 'W'\) is constant"))
    add(Case("mediate-collinear", 5, [*MED[:4], "--m", "M,M2", *MED[6:]], {"d.csv": DATA.assign(M2=2 * DATA["M"] + 1)}, "error", r"perfect collinearity"))
    add(Case("moderate-collinear-covariate", 5, [*MOD, "--cov", "W2"], {"d.csv": DATA.assign(W2=DATA["W"] * 2)}, "error", r"perfect collinearity"))
    add(Case("mediate-too-few-rows", 5, MED, {"d.csv": DATA.head(4)}, "error", r"4 complete rows are too few"))
    add(Case("mediate-near-constant", 5, MED, {"d.csv": DATA.assign(X=[1.0] * 117 + [2.0, 3.0, 4.0])}, "warning", r"X \(column 'X'\) is nearly constant \(117 of 120 rows have 1\)"))
    add(Case("invariance-one-group", 5, INV, {"d.csv": DATA.assign(G=1), "m.txt": MODEL}, "error", r"grouping column 'G' has 1 level\(s\) \(1\); a comparison across groups needs at least 2"))
    add(Case("compare-one-group", 5, CMP, {"d.csv": DATA.assign(G=1)}, "error", r"only one level has answers"))
    add(Case("compare-constant-score", 5, CMP, {"d.csv": DATA.assign(A1=3, A2=3, A3=3)}, "error", r"the score \(column 'A'\) is constant"))
    add(Case("sem-collinear-items", 5, SEM, {"d.csv": DATA.assign(A3=DATA["A1"] + DATA["A2"]), "m.txt": MODEL}, "error", r"exact linear combination of the other observed variables"))
    add(Case("sem-n-below-p", 5, SEM, {"d.csv": DATA.head(5), "m.txt": MODEL}, "error", r"5 complete rows for 6 observed variables"))
    add(Case("sem-fiml-empty-item", 5, [*SEM, "--missing", "fiml"], {"d.csv": DATA.assign(B2=np.nan), "m.txt": MODEL}, "error", r"variable 'B2' has 0 answer\(s\); FIML needs answers"))
    add(Case("sem-constant-item", 5, SEM, {"d.csv": DATA.assign(B2=4), "m.txt": MODEL}, "error", r"variable \(column 'B2'\) is constant"))
    add(Case("reliability-zero-variance", 5, REL, {"d.csv": DATA.assign(A3=4)}, "warning", r"item 'A3' has no variance.*omega is left empty"))
    add(Case("reliability-copied-item", 5, ["reliability", "d.csv", "--scale", "A=A1,A2,A3,A4", "--json"], {"d.csv": DATA.assign(A4=DATA["A1"])}, "ok", check=lambda tmp, out: "warnings" in json.loads(out)))
    # ---- 6. xlsx formulas and encodings -------------------------------------------------
    add(Case("xlsx-uncached-formulas", 6, ["reliability", "d.xlsx", "--scale", "A=A1,A2,A3", "--json"], {"d.xlsx": _xlsx_with_uncached_formulas}, "error", r"d\.xlsx: 2 formula cell\(s\) have no saved value and would read as empty: C4, C9"))
    text = DATA[["序号", "A1", "A2", "A3"]].rename(columns={"A1": "甲1"}).to_csv(index=False)
    add(Case("utf16-without-bom", 6, ["reliability", "d.csv", "--scale", "A=甲1,A2,A3", "--json"], {"d.csv": text.encode("utf-16-le")}, "ok", check=lambda tmp, out: json.loads(out)["scales"]["A"]["n"] == 120))
    big5 = "您的性別,教育程度,職業\n男,大學,學生\n女,碩士,職員\n".encode("big5")
    add(Case("big5", 6, ["codebook", "infer", "d.csv"], {"d.csv": big5}, "error", r"d\.csv: text looks like Big5 \(Traditional Chinese\)"))
    add(Case("nul-bytes", 6, REL, {"d.csv": b"A1,A2\n1\x00\x00\x00\x002,\x003\n"}, "error", r"holds zero bytes"))
    add(Case("sem-model-gbk", 6, SEM, {"d.csv": DATA, "m.txt": ("# 测量模型\n" + MODEL).encode("gbk")}, "ok", check=lambda tmp, out: json.loads(out)["n"] == 120))
    # ---- 8. output paths and configs ------------------------------------------------------
    add(Case("questionnaire-out-exists", 8, ["questionnaire", "--out", "q.md"], {"q.md": "mine"}, "error", r"q\.md: file exists; not overwritten \(pass --force"))
    add(Case("questionnaire-out-force", 8, ["questionnaire", "--out", "q.md", "--force"], {"q.md": "mine"}, "ok", check=lambda tmp, out: (tmp / "q.md").read_text(encoding="utf-8") != "mine"))
    add(Case("clean-out-is-file", 8, CLEAN, {"raw.csv": RAW, "cb.yaml": cb, "out": "a file"}, "error", r"out: the output folder is an existing file"))
    power = {"population": "y ~ 0.3*x", "analysis": {"kind": "ols", "y": "y", "x": ["x"]}, "sample_sizes": [30], "n_rep": 2, "seed": 1}
    add(Case("power-cache-outside", 8, ["power", "p.yaml", "--json"], {"p.yaml": {**power, "cache_dir": "../.."}}, "error", r"cache_dir points outside the config's folder"))
    add(Case("power-cache-absolute", 8, ["power", "p.yaml", "--json"], {"p.yaml": {**power, "cache_dir": "/tmp"}}, "error", r"cache_dir points outside"))
    for key, value in (("sample_sizes", "lots"), ("n_rep", "many"), ("seed", [1]), ("likert", "five"), ("alpha", "5%"), ("population", 3)):
        add(Case(f"power-{key}-type", 8, ["power", "p.yaml", "--json"], {"p.yaml": {**power, key: value}}, "error", rf"p\.yaml: .*{key} must be"))
    add(Case("power-analysis-x-type", 8, ["power", "p.yaml", "--json"], {"p.yaml": {**power, "analysis": {"kind": "ols", "y": "y", "x": 5}}}, "error", r"analysis\.x must be a variable name"))
    add(Case("power-scheduler-unreachable", 8, ["power", "p.yaml", "--json", "--scheduler", "tcp://127.0.0.1:9"], {"p.yaml": power}, "error", r"cannot reach the Dask scheduler"))
    # ---- 9. clean stdout -------------------------------------------------------------------
    add(Case("questionnaire-json-only", 9, ["questionnaire", "--json"], {}, "ok", check=_json_only))
    return cases


CASES = _cases()


def _run(case: Case, tmp_path: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    _write(tmp_path, case.files)
    monkeypatch.chdir(tmp_path)
    rc = main(case.argv)
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path, capsys, monkeypatch):
    rc, out, err = _run(case, tmp_path, capsys, monkeypatch)
    assert "Traceback" not in err and "Traceback" not in out
    assert not re.search(r"np\.(int|float)\d*\(", out + err)
    assert "warnings.warn(" not in err  # a raw two-line Python warning shows its source line
    if case.expect == "error":
        assert rc == 2, (rc, err)
        assert out == ""
        lines = [line for line in err.splitlines() if ": error: " in line]
        assert len(lines) == 1, err
        assert re.search(case.pattern, lines[0]), lines[0]
        return
    assert rc == 0, err
    doc = json.loads(out) if out.strip().startswith("{") else None
    if case.expect == "warning":
        assert any(re.search(case.pattern, w) for w in doc["warnings"]), doc["warnings"]
    if case.check is not None:
        case.check(tmp_path, out)


def test_corpus_covers_every_point():
    assert {c.point for c in CASES} >= {1, 2, 3, 4, 5, 6, 8, 9}
    assert sum(c.expect == "error" for c in CASES) >= 50


@pytest.mark.parametrize(
    "argv",
    [REL, MED, MOD, CMP, SEM, INV],
    ids=["reliability", "mediate", "moderate", "compare", "sem", "invariance"],
)
def test_every_json_document_has_warnings(argv, tmp_path, capsys, monkeypatch):
    case = Case("ok", 5, argv, {"d.csv": DATA, "m.txt": MODEL}, "ok")
    rc, out, err = _run(case, tmp_path, capsys, monkeypatch)
    assert rc == 0, err
    doc = json.loads(out)
    assert isinstance(doc["warnings"], list)
    if argv is INV:
        assert all("flagged" in step and "warnings" in step for step in doc["steps"])


def test_warnings_print_as_one_line(tmp_path, capsys, monkeypatch):
    case = Case("w", 5, ["reliability", "d.csv", "--scale", "A=A1,A2,A3"], {"d.csv": DATA.assign(A3=4)}, "ok")
    rc, out, err = _run(case, tmp_path, capsys, monkeypatch)
    assert rc == 0
    lines = err.splitlines()
    assert lines and all(line.startswith("sqresearch reliability: warning: ") for line in lines)


@pytest.mark.parametrize(
    "case_id", ["reliability-inf", "mediate-constant-x", "sem-model-gbk", "big5", "power-cache-outside"]
)
def test_subprocess_has_no_traceback(case_id, tmp_path):
    case = next(c for c in CASES if c.id == case_id)
    _write(tmp_path, case.files)
    proc = subprocess.run(
        [sys.executable, "-m", "sqresearch", *case.argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == (2 if case.expect == "error" else 0), proc.stderr
    if case.expect == "error":
        assert len(proc.stderr.strip().splitlines()) == 1
        assert re.search(case.pattern, proc.stderr)
    else:
        json.loads(proc.stdout)


def test_xlsx_text_cells_are_strings_never_formulas(tmp_path):
    import io

    from openpyxl import load_workbook

    from sqresearch.report.excel import to_xlsx
    from sqresearch.report.tables import ThesisTable

    data = pd.DataFrame({"item": ['=HYPERLINK("http://x","y")', "@SUM(1,1)", "A1"], "mean": [-1.5, 2.25, 3.0]})
    table = ThesisTable(data=data, kinds={"item": "text", "mean": "mean"}, title="t", label="tab:t")
    ws = load_workbook(io.BytesIO(to_xlsx(table))).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    for text in ('=HYPERLINK("http://x","y")', "@SUM(1,1)"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert cells["A1"].data_type == "s" and not cells["A1"].quotePrefix
    assert cells[-1.5].data_type == "n"  # negative numbers stay numbers


def test_regression_refuses_degenerate_designs():
    from sqresearch.errors import ModelError
    from sqresearch.model.regression import hierarchical_regression

    with pytest.raises(ModelError, match="perfect collinearity"):
        hierarchical_regression(DATA.assign(X2=DATA["X"] * 2), "Y", [["X"], ["X2"]])
    with pytest.raises(ModelError, match=r"Y \(column 'Y'\) is constant"):
        hierarchical_regression(DATA.assign(Y=3.0), "Y", [["X"]])


@pytest.mark.parametrize(
    "text",
    ["138 1234 5678", "+86 138 1234 5678", "138-1234-5678", "(0571)8888-1234", "文三路100号 张三收",
     "加我vx tea_lover_88", "一三八一二三四五六七八", "a.b@example.com", "330106199001011234"],
)
def test_cleaning_redacts_and_scan_finds_each_form(text, tmp_path):
    from sqresearch.clean.pii import find_pii, redact, scan_path

    assert find_pii(text), text
    assert not find_pii(redact(f"留言: {text}。"))
    (tmp_path / "out.md").write_text(f"留言: {text}\n", encoding="utf-8")
    assert not scan_path(tmp_path).empty


@pytest.mark.parametrize("text", ["13 8123 45678 备用", "微信→ tea_lover_88", "座机 0571 8888 1234"])
def test_output_scan_is_broader_than_the_cleaning_step(text):
    from sqresearch.clean.pii import find_pii, find_pii_broad

    assert not find_pii(text) and find_pii_broad(text)
