"""Codebook: load/round-trip, inference from headers, and validation errors that name file, column, row, value."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from sqresearch.clean.codebook import Codebook, scale_labels
from sqresearch.clean.infer import infer_codebook
from sqresearch.clean.pipeline import clean_survey
from sqresearch.clean.recode import apply_codebook
from sqresearch.clean.similarity import normalize_text
from sqresearch.constructs import get_framework, load_catalogue
from sqresearch.errors import InputError
from sqresearch.io import read_survey

LIKERT = ["非常不同意", "不同意", "一般", "同意", "非常同意"]


def book_dict(**extra):
    doc = {
        "id": "序号",
        "scales": {"agree5": {"points": 5, "synonyms": True, "labels": scale_labels(5, [LIKERT])}},
        "items": {
            "X1": {"column": "q1", "scale": "agree5"},
            "X2": {"column": "q2", "scale": "agree5", "reverse": True},
        },
        "demographics": {"GENDER": {"column": "性别", "levels": {"男": 1, "女": 2}}},
    }
    doc.update(extra)
    return doc


def raw_frame():
    return pd.DataFrame(
        {
            "序号": [11, 12, 13],
            "性别": ["男", "女", "女"],
            "q1": ["同意", "非常同意", "Strongly disagree"],
            "q2": [2, 5, None],
        }
    )


def test_recode_labels_numbers_and_english():
    coded = apply_codebook(raw_frame(), Codebook.from_dict(book_dict()))
    assert not coded.issues.rows
    assert coded.data["X1"].tolist() == [4.0, 5.0, 1.0]
    assert coded.data["X2"].tolist()[:2] == [2.0, 5.0]
    assert coded.data["GENDER"].tolist() == [1.0, 2.0, 2.0]
    assert coded.data["ID"].tolist() == [11, 12, 13]


def test_roundtrip_yaml(tmp_path):
    book = Codebook.from_dict(book_dict(careless={"speeder": {"action": "flag", "fraction": 0.25}}))
    path = book.save(tmp_path / "cb.yaml", header="a comment")
    assert path.read_text(encoding="utf-8").startswith("# a comment\n")
    again = Codebook.load(path)
    assert again.to_dict() == book.to_dict()
    assert again.careless["speeder"] == {"action": "flag", "fraction": 0.25}
    assert again.reverse_items() == ["X2"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["items"].update(X3={"column": "q3", "scale": "agree7"}),
            "undefined|does not define",
        ),
        (lambda d: d["items"]["X1"].pop("column"), "lacks 'column'"),
        (lambda d: d.update(careless={"typo": {"action": "flag"}}), "unknown careless"),
        (lambda d: d.update(careless={"irv": {"action": "drop"}}), "action must be"),
        (lambda d: d["items"].update(X3={"column": "q1", "scale": "agree5"}), "two variables"),
        (lambda d: d.update(items={}), "maps no items"),
    ],
)
def test_bad_codebooks(change, message):
    doc = book_dict()
    change(doc)
    with pytest.raises(InputError, match=message):
        Codebook.from_dict(doc, file="cb.yaml")


def test_codebook_file_errors(tmp_path):
    with pytest.raises(InputError, match="codebook not found"):
        Codebook.load(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("items: [unclosed", encoding="utf-8")
    with pytest.raises(InputError, match="invalid YAML"):
        Codebook.load(bad)


@pytest.mark.parametrize(
    ("mutate", "check", "column", "row", "value"),
    [
        (lambda f: f.__setitem__("q2", [2, 9, None]), "out_of_range", "q2", 12, 9),
        (
            lambda f: f.__setitem__("q1", ["同意", "很同意", "同意"]),
            "unmapped_label",
            "q1",
            12,
            "很同意",
        ),
        (lambda f: f.__setitem__("序号", [11, 11, 13]), "duplicate_id", "序号", 11, 11),
        (lambda f: f.pop("q2"), "missing_column", "q2", None, None),
        (lambda f: f.__setitem__("q1", ["同意"] * 3), "zero_variance", "q1", None, 4.0),
        (lambda f: f.__setitem__("q2", [None] * 3), "all_missing", "q2", None, None),
        (
            lambda f: f.__setitem__("性别", ["男", "其他", "女"]),
            "unmapped_label",
            "性别",
            12,
            "其他",
        ),
        (lambda f: f.__setitem__("q2", [2, 4.5, None]), "out_of_range", "q2", 12, 4.5),
    ],
)
def test_validation_errors_name_file_column_row_value(tmp_path, mutate, check, column, row, value):
    frame = raw_frame()
    mutate(frame)
    coded = apply_codebook(frame, Codebook.from_dict(book_dict()))
    first = coded.issues.errors()[0]
    assert (first["check"], first["column"], first["row"], first["value"]) == (
        check,
        column,
        row,
        value,
    )
    with pytest.raises(InputError) as info:
        coded.issues.raise_first("raw.xlsx")
    text = str(info.value)
    assert text.startswith("raw.xlsx: ") and repr(column) in text
    if row is not None:
        assert f"row {row}" in text


def test_missing_codes_are_counted_not_silent():
    frame = raw_frame()
    frame["q2"] = [2, 99, 3]
    coded = apply_codebook(frame, Codebook.from_dict(book_dict(missing_codes=[99])))
    assert coded.data["X2"].isna().tolist() == [False, True, False]
    assert coded.missing_code_counts == {"q2": 1}


def test_inference_of_catalogue_wording(tmp_path):
    catalogue = load_catalogue()
    framework = get_framework("tea_brand_community")
    codes = list(framework.items())[:3]
    texts = [catalogue.item(c).text_zh for c in codes]
    demo = catalogue.demographics["GENDER"].question_zh
    frame = pd.DataFrame(
        {
            "序号": [1, 2, 3],
            "提交答卷时间": ["2025/3/1 10:00:00"] * 3,
            "所用时间": ["100秒", "200秒", "300秒"],
            "来自IP": ["1.2.3.4(浙江-杭州)"] * 3,
            f"1、{demo}": ["男", "女", "男"],
            f"2、请作答—{texts[0]}": ["同意", "一般", "非常同意"],
            f"2、请作答—{texts[1][:-2]}了。": ["同意", "一般", "同意"],  # edited wording
            f"2、请作答—{texts[2]}": ["同意", "一般", "同意"],
            "3、您的手机号": ["", "", ""],
            "4、您还有什么建议？": ["无", "无", "好"],
        }
    )
    path = tmp_path / "wjx.csv"
    frame.to_csv(path, index=False)
    raw = read_survey(path)
    draft = infer_codebook(raw, "tea_brand_community")
    book = draft.codebook()
    assert list(book.items) == codes
    assert book.id == "序号" and book.duration == "所用时间"
    assert draft.matches.set_index("code").loc[codes[1], "method"] == "block"
    assert "GENDER" in book.demographics and book.demographics["GENDER"].levels["女"] == 2
    assert "来自IP" in book.drop and "3、您的手机号" in book.drop
    assert book.unmatched == ["4、您还有什么建议？"]
    assert normalize_text("Q3_1. I value it!") == "i value it"


@pytest.mark.slow
def test_default_study_codebook_is_the_inferred_one_plus_edits():
    """data/codebook.yaml maps the same columns as a fresh inference (its edits are settings and comments)."""
    from sqresearch.paths import ROOT

    raw = read_survey(ROOT / "data/raw/wjx_tea_community_text.csv")
    inferred = infer_codebook(raw, "tea_brand_community").codebook()
    shipped = Codebook.load(ROOT / "data/codebook.yaml")
    assert shipped.source_columns() == inferred.source_columns()
    assert shipped.reverse_items() == ["IRI5", "NBL4", "CUL4"]
    assert set(
        yaml.safe_load((ROOT / "data/codebook.yaml").read_text(encoding="utf-8"))["careless"]
    ) == set(shipped.careless)


def test_personal_column_in_codebook_is_refused(tmp_path):
    frame = raw_frame().assign(手机号=["13812345678", "13912345678", "13712345678"])
    path = tmp_path / "raw.csv"
    frame.to_csv(path, index=False)
    book = Codebook.from_dict(book_dict(keep={"手机号": "PHONE"}))
    with pytest.raises(InputError, match="personal-data column"):
        clean_survey(path, book)


def test_codebook_cli_infer_and_check(tmp_path, capsys):
    from test_io_readers import wjx_frame

    from sqresearch.cli import main
    from sqresearch.paths import ROOT

    raw = tmp_path / "wjx.csv"
    wjx_frame().to_csv(raw, index=False)
    out = tmp_path / "cb.yaml"
    assert main(["codebook", "infer", str(raw), "--out", str(out)]) == 0
    # the summary per block on stderr: two rows mapped, one unsure (its wording is closer to BCM1)
    assert "block 8: CVA: 2 mapped, 1 unsure, 0 unmatched" in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    draft = yaml.safe_load(text)
    assert draft["id"] == "序号" and "来自IP" in draft["drop"] and sorted(draft["items"]) == ["CVA2", "CVA4"]
    # the unsure one is a comment under items: and its column stays unmatched until checked
    assert "  # CVA1: {column: 8、请根据您的真实感受作答—我觉得社群很有价值。" in text
    assert draft["unmatched"] == ["2、您常用哪些社群渠道？", "8、请根据您的真实感受作答—我觉得社群很有价值。"]
    # never overwrites silently
    assert main(["codebook", "infer", str(raw), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "file exists" in err[0]
    assert (
        main(
            [
                "clean",
                str(tmp_path / "none.csv"),
                "--codebook",
                str(ROOT / "data" / "codebook.yaml"),
                "--out",
                str(tmp_path / "p"),
            ]
        )
        == 2
    )
    assert "file not found" in capsys.readouterr().err


def test_small_export_province_and_redaction(tmp_path):
    """A 问卷星 file end to end: province kept from the IP, contact text redacted, D² skipped on 4 rows."""
    import warnings

    from test_io_readers import MATRIX, wjx_frame

    from sqresearch.clean.pii import scan_path

    frame = wjx_frame()
    frame["9、其他建议"] = ["很好", "加我微信: tea_lover88", "(空)", "电话 13812345678"]
    path = tmp_path / "wjx.csv"
    frame.to_csv(path, index=False)
    columns = [c for c in frame.columns if c.startswith(MATRIX)]
    doc = book_dict(
        duration="所用时间",
        items={f"X{i}": {"column": c, "scale": "agree5"} for i, c in enumerate(columns, 1)},
        demographics={"GENDER": {"column": "1、您的性别是？", "levels": {"男": 1, "女": 2}}},
        keep={"9、其他建议": "COMMENT"},
        keep_province=True,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = clean_survey(path, Codebook.from_dict(doc))
    assert result.coded["PROVINCE"].fillna("-").tolist() == ["浙江", "广东", "北京", "-"]
    assert result.coded["COMMENT"].tolist()[1] == "加我[已删除]"
    assert "pii_redacted" in result.warnings["check"].tolist()
    assert "rule_not_run" in result.warnings["check"].tolist()
    result.write(tmp_path / "out")
    assert scan_path(tmp_path / "out").empty
    assert "来自IP" in result.personal_data["column"].tolist()
