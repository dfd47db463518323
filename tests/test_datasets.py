"""The default study's raw export (sqresearch.datasets, `make data`).

Checks: byte-identical regeneration (twice, and against the committed
data/raw); the 问卷星 shape; the planted problems, recomputed here from the
numeric CSV independently of the module; the truth in population.json; and
that the attentive rows of the export agree with the implied values within
sampling error.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sqresearch import datasets
from sqresearch.cli import build_parser, main
from sqresearch.constructs import get_framework
from sqresearch.paths import DATA_RAW
from sqresearch.simulate import parse_population_model

FILES = [
    datasets.TEXT_XLSX,
    datasets.TEXT_CSV,
    datasets.NUMERIC_CSV,
    datasets.POPULATION_JSON,
    datasets.README,
]


@pytest.fixture(scope="module")
def committed():
    return json.loads((DATA_RAW / datasets.POPULATION_JSON).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def numeric():
    return pd.read_csv(
        DATA_RAW / datasets.NUMERIC_CSV, dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )


@pytest.fixture(scope="module")
def text():
    return pd.read_csv(
        DATA_RAW / datasets.TEXT_CSV, dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )


@pytest.fixture(scope="module")
def columns():
    return datasets.questionnaire_columns()


def _headers(columns, *kinds):
    return [q.header for q in columns if q.kind in kinds]


def test_generation_is_byte_identical_and_equals_committed_files(tmp_path, committed):
    # the slow part (implied values) is taken from the committed file; the rest is regenerated
    a, b = tmp_path / "a", tmp_path / "b"
    datasets.write_default_study(a, implied=committed["implied"])
    datasets.write_default_study(b, implied=committed["implied"])
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
        assert (a / name).read_bytes() == (DATA_RAW / name).read_bytes(), (
            f"data/raw/{name} differs from a fresh generation: run `make data`"
        )
    assert sorted(p.name for p in a.iterdir()) == sorted(FILES)


def test_another_seed_gives_other_data(tmp_path, committed):
    datasets.write_default_study(tmp_path, seed=7, implied=committed["implied"])
    other = pd.read_csv(tmp_path / datasets.NUMERIC_CSV, dtype=str, keep_default_na=False)
    mine = pd.read_csv(DATA_RAW / datasets.NUMERIC_CSV, dtype=str, keep_default_na=False)
    assert other.shape == mine.shape
    assert (other.iloc[:, 6:] != mine.iloc[:, 6:]).to_numpy().mean() > 0.3
    assert (
        json.loads((tmp_path / datasets.POPULATION_JSON).read_text(encoding="utf-8"))["seed"] == 7
    )


def test_xlsx_is_stamped_with_fixed_times_and_equals_the_csv(text):
    blob = (DATA_RAW / datasets.TEXT_XLSX).read_bytes()
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    sheet = pd.read_excel(io.BytesIO(blob), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(sheet, text)


def test_csv_is_utf8_with_bom():
    for name in (datasets.TEXT_CSV, datasets.NUMERIC_CSV):
        raw = (DATA_RAW / name).read_bytes()
        assert raw.startswith("\ufeff序号,".encode("utf-8"))


def test_wjx_columns_and_platform_values(text, numeric, columns, committed):
    assert list(text.columns) == list(numeric.columns)
    assert list(text.columns[:6]) == [
        "序号",
        "提交答卷时间",
        "所用时间",
        "来源",
        "来源详情",
        "来自IP",
    ]
    assert list(text.columns[6:]) == [q.header for q in columns]
    assert len(text) == committed["n_rows"] == datasets.N_ROWS
    # headers "N、题干" and matrix rows "N、题干—子项", numbered consecutively
    numbers = [int(re.match(r"^(\d+)、", h).group(1)) for h in text.columns[6:]]
    assert numbers == sorted(numbers) and set(numbers) == set(range(1, max(numbers) + 1))
    matrix = _headers(columns, "item", "attention")
    assert all(h.split("、", 1)[1].startswith(datasets.MATRIX_TITLE + "—") for h in matrix)
    fw = get_framework(datasets.FRAMEWORK)
    for q in columns:
        if q.kind == "item":
            assert q.header.endswith(fw.catalogue.item(q.code).text_zh)
    # platform columns
    assert text["序号"].astype(int).tolist() == list(range(1, datasets.N_ROWS + 1))
    times = [datetime.strptime(t, "%Y/%m/%d %H:%M:%S") for t in text["提交答卷时间"]]
    assert times == sorted(times)
    end = datasets.FIELD_START + pd.Timedelta(days=datasets.FIELD_DAYS + 1)
    assert datasets.FIELD_START <= times[0] and times[-1] < end
    assert text["所用时间"].str.fullmatch(r"\d+秒").all()
    assert text["来自IP"].str.fullmatch(r"(\d{1,3}\.){3}\d{1,3}\([^-()]+-[^-()]+\)").all()
    assert set(text["来源"]) <= {"微信", "手机提交", "链接"}


def test_text_and_numeric_forms_agree(text, numeric, columns):
    fw = get_framework(datasets.FRAMEWORK)
    cat = fw.catalogue
    for q in columns:
        t, n = text[q.header], numeric[q.header]
        if q.kind == "contact":
            assert ((t == n) | ((t == "(跳过)") & (n == "-3"))).all()
            continue
        if q.kind == "screen":
            labels = cat.instrument.screening.labels("zh")
        elif q.kind == "demographic":
            labels = cat.demographics[q.code].labels("zh")
        else:
            labels = dict(enumerate(cat.item(q.code).scale.anchors("zh"), start=1))
        decoded = n.map(
            lambda v, lab=labels: "" if v == "" else "(跳过)" if v == "-3" else lab[int(v)]
        )
        assert (decoded == t).all(), q.header
    # demographics are text answers, Likert answers the anchors
    assert set(text[_headers(columns, "demographic")[0]]) <= {"男", "女", "(跳过)"}
    likert = text[_headers(columns, "item")].to_numpy().ravel()
    assert set(likert) <= {"非常不同意", "不同意", "一般", "同意", "非常同意", "", "(跳过)"}


def _independent_flags(numeric, columns):
    """The README's rules, recomputed from the numeric CSV."""
    screen = numeric[_headers(columns, "screen")[0]].astype(int)
    eligible = screen == 1
    secs = numeric["所用时间"].str[:-1].astype(int)
    cut = np.median(secs[eligible]) / 3
    likert = numeric[_headers(columns, "item", "attention")]
    rows = {}
    rows["screened_out"] = set(numeric["序号"][~eligible].astype(int))
    rows["speeder"] = set(numeric["序号"][eligible & (secs < cut)].astype(int))
    rows["straightliner"] = {
        int(s)
        for s, ok, r in zip(numeric["序号"], eligible, likert.to_numpy(), strict=True)
        if ok and "" not in r and len(set(r)) == 1
    }
    att = numeric[_headers(columns, "attention")[0]]
    rows["attention"] = set(numeric["序号"][eligible & (att != "4")].astype(int))
    seen, dups = set(), set()
    for s, ok, r in zip(
        numeric["序号"], eligible, numeric[[q.header for q in columns]].to_numpy(), strict=True
    ):
        key = tuple(r)
        if ok and key in seen:
            dups.add(int(s))
        if ok:
            seen.add(key)
    rows["duplicate"] = dups
    return rows


def test_planted_problems_match_population_json(numeric, columns, committed):
    careless = committed["careless"]
    flags = _independent_flags(numeric, columns)
    assert {k: sorted(v) for k, v in flags.items()} == careless["flags"]
    assert careless["counts"] == {k: len(v) for k, v in flags.items()}
    planted: dict[str, set[int]] = {}
    for entry in careless["planted"]:
        planted.setdefault(entry["kind"], set()).add(entry["序号"])
    assert {k: len(v) for k, v in planted.items()} == datasets.PLANTED == careless["planted_counts"]
    all_planted = set().union(*planted.values())
    for kind, rows in planted.items():
        assert rows <= flags[kind], kind  # every planted row breaks its rule
        assert flags[kind] - rows <= all_planted, kind  # no attentive respondent is flagged
    # duplicates repeat an earlier submission exactly, from the same IP, minutes later
    by_serial = numeric.set_index(numeric["序号"].astype(int))
    question_cols = [q.header for q in columns]
    for entry in careless["planted"]:
        if entry["kind"] == "duplicate":
            dup, orig = by_serial.loc[entry["序号"]], by_serial.loc[entry["duplicate_of"]]
            assert entry["duplicate_of"] < entry["序号"]
            assert (dup[question_cols] == orig[question_cols]).all()
            assert dup["来自IP"] == orig["来自IP"]
    # screened-out members skip every later question
    out = by_serial.loc[sorted(planted["screened_out"])]
    assert (out[question_cols[1:]] == "-3").all().all()
    # speeders are far under a third of the median time; realistic median
    secs = numeric["所用时间"].str[:-1].astype(int)
    assert 250 < np.median(secs) < 400


def test_missing_answers_and_personal_data(numeric, columns, committed):
    items = numeric[_headers(columns, "item")]
    blank = items == ""
    assert int(blank.to_numpy().sum()) == committed["missing"]["cells"] > 0
    assert sorted(numeric["序号"][blank.any(axis=1)].astype(int)) == committed["missing"]["rows"]
    contact = numeric[_headers(columns, "contact")[0]]
    phones = contact.str.contains(r"1[3-9]\d{9}|1[3-9]\d \d{4} \d{4}")
    wechat = contact.str.contains(r"微信|wx|wxid_|tea", case=False)
    assert phones.sum() >= 20 and wechat.sum() >= 20
    assert contact.str.contains(r"QQ|@qq\.com").sum() >= 3
    assert (contact == "(空)").mean() > 0.5


def test_population_json_states_the_model(committed):
    fw = get_framework(datasets.FRAMEWORK)
    model = parse_population_model(committed["population_model"])
    flat = {i: lam for block in model.loadings.values() for i, lam in block.items()}
    assert flat == committed["loadings"]
    assert all(0.65 <= v <= 0.85 for v in flat.values())
    assert set(flat) == set(fw.items())
    assert (
        model.regressions["SOB"][("CVA", "NBL")] > 0
        and model.regressions["SOB"][("IRI", "NBL")] > 0
    )
    for p in committed["paths"]:
        key = tuple(p["rhs"].split(":")) if ":" in p["rhs"] else p["rhs"]
        assert model.regressions[p["lhs"]][key] == p["value"]
    assert committed["reverse_keyed"] == fw.reverse_items() != []
    assert committed["implied"]["n"] == datasets.IMPLIED_N


def test_reverse_keyed_items_are_written_reversed(numeric, columns, committed):
    flagged = set().union(*map(set, committed["careless"]["flags"].values()))
    ok = numeric[~numeric["序号"].astype(int).isin(flagged)]
    fw = get_framework(datasets.FRAMEWORK)
    header = {q.code: q.header for q in columns}
    for code in fw.reverse_items():
        construct = fw.catalogue.item(code).construct
        others = [c for c in fw.blocks()[construct] if c != code]
        x = pd.to_numeric(ok[header[code]], errors="coerce")
        rest = ok[[header[c] for c in others]].apply(pd.to_numeric, errors="coerce").mean(axis=1)
        assert x.corr(rest) < -0.3, code  # reversed as answered
        assert x.mean() < 3  # most members disagree with a reversed statement


def test_attentive_rows_agree_with_the_implied_values(numeric, columns, committed):
    """Composite correlations of the clean export vs the implied ones (Fisher z, Bonferroni)."""
    flagged = set().union(*map(set, committed["careless"]["flags"].values()))
    ok = numeric[~numeric["序号"].astype(int).isin(flagged)]
    fw = get_framework(datasets.FRAMEWORK)
    header = {q.code: q.header for q in columns}
    scores = {}
    for construct, items in fw.blocks().items():
        block = ok[[header[c] for c in items]].apply(pd.to_numeric, errors="coerce")
        for c in items:
            if fw.catalogue.item(c).reverse:
                block[header[c]] = 6 - block[header[c]]
        scores[construct] = block.mean(axis=1)
    comp = pd.DataFrame(scores)
    pairs = committed["implied"]["composites"]["correlations"]
    n = len(comp)
    assert 440 < n < 480
    crit = stats.norm.ppf(1 - 0.001 / (2 * len(pairs)))
    z = [
        abs(np.arctanh(comp[p["x"]].corr(comp[p["y"]])) - np.arctanh(p["r"])) * np.sqrt(n - 3)
        for p in pairs
    ]
    assert max(z) < crit


def test_implied_values_show_the_designed_effects(committed):
    implied = committed["implied"]
    sem = {(r["lhs"], r["op"], r["rhs"]): r for r in implied["sem"]}
    for rhs in ("CVA", "IRI", "CEX"):
        assert sem[("SOB", "~", rhs)]["std_all"] > 0.15
        assert abs(sem[("LOY", "~", rhs)]["std_all"]) < 0.05  # full mediation in the population
    # Likert cutting attenuates: every implied CFA loading is below its population value
    cfa = {r["rhs"]: r["std_all"] for r in implied["cfa"] if r["op"] == "=~"}
    assert all(cfa[i] < lam for i, lam in committed["loadings"].items())
    assert all(cfa[i] > lam - 0.08 for i, lam in committed["loadings"].items())
    for key, block in implied["moderation"].items():
        x = key.split()[2]
        assert block["beta"][f"{x}:NBL"] > 0.08  # a real interaction
    reg = next(iter(implied["regression"].values()))["beta"]
    assert reg["BRD"] > reg["CUL"] > reg["PRO"] > reg["PUB"] > 0


def test_cli_parser_defaults():
    args = build_parser("data").parse_args(["data", "--out", "somewhere"])
    assert args.seed == datasets.DEFAULT_SEED and args.out == "somewhere"


@pytest.mark.slow
def test_make_data_is_byte_identical(tmp_path):
    """`sqresearch data` (what `make data` runs) recomputes everything, implied values included."""
    assert main(["data", "--out", str(tmp_path)]) == 0
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA_RAW / name).read_bytes(), name
