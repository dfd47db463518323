"""Readers: 问卷星 text/numeric (xlsx, csv), Credamo, Qualtrics, SPSS, Stata, generic tables.

The small exports here are written by hand in each platform's layout (see
the module docstrings of sqresearch.io.*); every test also checks that the
file read is byte-identical afterwards.
"""

from __future__ import annotations

import codecs
import json

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from sqresearch.errors import InputError
from sqresearch.io import (
    ReadWarning,
    read_credamo,
    read_file,
    read_qualtrics,
    read_spss,
    read_stata,
    read_survey,
    read_table,
    read_wjx,
    sha256_file,
)
from sqresearch.io.wjx import parse_duration, parse_header, parse_ip, split_multiselect

LIKERT = ["非常不同意", "不同意", "一般", "同意", "非常同意"]
MATRIX = "8、请根据您的真实感受作答—"


def wjx_frame(form: str = "text") -> pd.DataFrame:
    """A four-respondent 问卷星 export in the platform's column layout."""
    codes = [[4, 5, 2], [1, 2, 3], [5, 5, 5], [3, None, 4]]
    frame = pd.DataFrame(
        {
            "序号": [1, 2, 3, 4],
            "提交答卷时间": [
                "2025/3/1 10:00:01",
                "2025/3/1 10:05:00",
                "2025/3/1 11:00:00",
                "2025/3/2 09:00:00",
            ],
            "所用时间": ["125秒", "2分5秒", "40秒", "300秒"],
            "来源": ["微信", "手机提交", "链接", "微信"],
            "来源详情": ["直接访问", "直接访问", "直接访问", "直接访问"],
            "来自IP": [
                "1.2.3.4(浙江-杭州)",
                "222.1.1.1(广东-深圳)",
                "240e:3a1::1(北京)",
                "8.8.8.8(未知)",
            ],
            "1、您的性别是？": ["男", "女", "女", "(跳过)"],
            "2、您常用哪些社群渠道？": ["微信群┋小红书", "微信群", "(跳过)", "抖音┋微信群"],
        }
    )
    for j, text in enumerate(
        ["我觉得社群很有价值。", "社群的茶叶品质稳定。", "我愿意推荐这个社群。"]
    ):
        column = [row[j] for row in codes]
        if form == "text":
            frame[MATRIX + text] = [LIKERT[c - 1] if c else "(跳过)" for c in column]
        else:
            frame[MATRIX + text] = [c if c else -3 for c in column]
    if form == "numeric":
        frame["1、您的性别是？"] = [1, 2, 2, -3]
        frame["2、您常用哪些社群渠道？"] = ["1┋2", "1", "-3", "3┋1"]
    return frame


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
@pytest.mark.parametrize("form", ["text", "numeric"])
def test_wjx_both_forms_and_formats(tmp_path, suffix, form):
    path = tmp_path / f"wjx.{suffix}"
    frame = wjx_frame(form)
    if suffix == "xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    before = sha256_file(path)
    raw = read_wjx(path)
    assert sha256_file(path) == before == raw.sha256
    assert raw.platform == "wjx" and raw.form == form
    assert raw.data["所用时间"].tolist() == [125.0, 125.0, 40.0, 300.0]
    assert raw.roles["来自IP"] == "ip" and raw.roles["序号"] == "id"
    assert raw.roles["2、您常用哪些社群渠道？"] == "multi"
    # skipped answers are missing, and the reader says how many it read so
    assert raw.data["1、您的性别是？"].isna().tolist() == [False, False, False, True]
    assert raw.data[MATRIX + "社群的茶叶品质稳定。"].isna().sum() == 1
    assert any("missing in" in note for note in raw.notes)
    # matrix headers give the row wording
    assert raw.questions[MATRIX + "我愿意推荐这个社群。"] == "我愿意推荐这个社群。"


def test_wjx_detected_automatically(tmp_path):
    path = tmp_path / "export.xlsx"
    wjx_frame().to_excel(path, index=False)
    assert read_survey(path).platform == "wjx"


def test_wjx_bad_duration_names_respondent(tmp_path):
    frame = wjx_frame()
    frame.loc[2, "所用时间"] = "很快"
    path = tmp_path / "wjx.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InputError) as info:
        read_wjx(path)
    assert info.value.column == "所用时间" and info.value.row == 3 and info.value.value == "很快"


def test_wjx_rejects_other_files(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a 问卷星 export"):
        read_wjx(path)


def test_wjx_parsers():
    assert parse_header("3、题干—子项") == parse_header("3、题干—子项")
    assert parse_header("3、题干—子项").sub == "子项"
    assert parse_header("5、(子项)").sub == "子项"
    assert parse_header("12. Open question").stem == "Open question"
    assert parse_duration("1小时2分3秒") == 3723.0
    assert np.isnan(parse_duration(None))
    with pytest.raises(ValueError):
        parse_duration("abc")
    assert parse_ip("8.8.8.8(未知)") == ("8.8.8.8", None, None)
    flags = split_multiselect(pd.Series(["A┋B", None, "B"], name="q"), options=["A", "B", "C"])
    assert flags.columns.tolist() == ["q┋A", "q┋B", "q┋C"]
    assert flags.fillna(-1).to_numpy().tolist() == [[1, 1, 0], [-1, -1, -1], [0, 1, 0]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings_read_alike(tmp_path, encoding):
    frame = wjx_frame()
    reference = tmp_path / "ref.csv"
    frame.to_csv(reference, index=False, encoding="utf-8")
    path = tmp_path / f"{encoding}.csv"
    frame.to_csv(path, index=False, encoding=encoding)
    raw, ref = read_survey(path), read_survey(reference)
    pd.testing.assert_frame_equal(raw.data, ref.data)
    expected = {
        "utf-8": "utf-8",
        "utf-8-sig": "utf-8-sig",
        "gbk": "gb18030",
        "gb18030": "gb18030",
        "utf-16": "utf-16",
    }
    assert raw.encoding == expected[encoding]


def test_tab_and_semicolon_delimiters(tmp_path):
    for sep in ("\t", ";"):
        path = tmp_path / "t.txt"
        path.write_text(f"性别{sep}CVA1\n男{sep}5\n女{sep}4\n", encoding="gbk")
        assert read_table(path).to_dict("list") == {"性别": ["男", "女"], "CVA1": [5, 4]}


def test_qualtrics_three_header_rows(tmp_path):
    rows = [
        [
            "StartDate",
            "Duration (in seconds)",
            "IPAddress",
            "ResponseId",
            "RecipientEmail",
            "Q1_1",
            "Q1_2",
            "Q2",
        ],
        [
            "Start Date",
            "Duration (in seconds)",
            "IP Address",
            "Response ID",
            "Recipient Email",
            "How much do you agree? - I value this community",
            "How much do you agree? - It is worth it",
            "Gender",
        ],
        [
            json.dumps({"ImportId": "startDate", "timeZone": "America/Denver"}),
            '{"ImportId":"duration"}',
            '{"ImportId":"ipAddress"}',
            '{"ImportId":"_recordId"}',
            '{"ImportId":"recipientEmail"}',
            '{"ImportId":"QID1_1"}',
            '{"ImportId":"QID1_2"}',
            '{"ImportId":"QID2"}',
        ],
        ["2025-03-01 10:00:00", "320", "1.2.3.4", "R_1a", "", "5", "4", "Female"],
        ["2025-03-01 11:00:00", "95", "5.6.7.8", "R_2b", "", "2", "", "Male"],
    ]
    path = tmp_path / "qualtrics.csv"
    pd.DataFrame(rows).to_csv(path, index=False, header=False, encoding="utf-8-sig")
    for raw in (read_qualtrics(path), read_survey(path)):
        assert raw.platform == "qualtrics"
        assert raw.data["Q1_1"].tolist() == [5, 2]
        assert raw.data["Q1_2"].tolist()[0] == 4 and np.isnan(raw.data["Q1_2"].tolist()[1])
        assert raw.data["Duration (in seconds)"].tolist() == [320.0, 95.0]
        assert raw.questions["Q2"] == "Gender"
        assert raw.roles["IPAddress"] == "ip" and raw.roles["RecipientEmail"] == "contact"


def test_credamo(tmp_path):
    frame = pd.DataFrame(
        {
            "答卷编号": [101, 102],
            "开始时间": ["2025-03-01 10:00:00", "2025-03-01 10:01:00"],
            "提交时间": ["2025-03-01 10:05:00", "2025-03-01 10:04:00"],
            "作答时长": ["0:05:00", "180"],
            "IP": ["1.2.3.4", "5.6.7.8"],
            "IP所在地": ["浙江杭州", "广东深圳"],
            "Q1.您的性别": ["男", "女"],
            "Q2_1.我觉得社群很有价值": ["同意", "非常同意"],
        }
    )
    path = tmp_path / "credamo.xlsx"
    frame.to_excel(path, index=False)
    for raw in (read_credamo(path), read_survey(path)):
        assert raw.platform == "credamo"
        assert raw.data["作答时长"].tolist() == [300.0, 180.0]
        assert raw.questions["Q2_1.我觉得社群很有价值"] == "我觉得社群很有价值"
        assert (
            raw.roles["IP"] == "ip"
            and raw.roles["IP所在地"] == "location"
            and raw.roles["答卷编号"] == "id"
        )


def test_spss_value_labels_kept(tmp_path):
    path = tmp_path / "survey.sav"
    frame = pd.DataFrame(
        {"id": [1.0, 2.0, 3.0], "gender": [1.0, 2.0, 1.0], "CVA1": [5.0, 4.0, np.nan]}
    )
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={"CVA1": "我觉得社群很有价值"},
        variable_value_labels={"gender": {1.0: "男", 2.0: "女"}},
    )
    before = sha256_file(path)
    raw = read_spss(path)
    assert sha256_file(path) == before
    assert raw.value_labels["gender"] == {1.0: "男", 2.0: "女"}
    assert raw.questions["CVA1"] == "我觉得社群很有价值"
    assert raw.data["gender"].tolist() == [1.0, 2.0, 1.0]
    table = read_table(path)
    assert (
        table.attrs["value_labels"]["gender"][2.0] == "女" and table.attrs["source_format"] == "sav"
    )
    with pytest.raises(InputError, match="not a Stata"):
        read_stata(path)


def test_stata(tmp_path):
    path = tmp_path / "survey.dta"
    pd.DataFrame({"id": [1, 2], "CVA1": [5.0, 3.0]}).to_stata(path, write_index=False)
    raw = read_stata(path)
    assert raw.file_format == "dta" and raw.data["CVA1"].tolist() == [5.0, 3.0]


def test_generic_xlsx_and_duplicate_headers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,a\n1,2,3\n", encoding="utf-8")
    with pytest.warns(ReadWarning, match="duplicate column name 'a'"):
        frame = read_table(path)
    assert frame.columns.tolist() == ["a", "b", "a.1"]
    xlsx = tmp_path / "t.xlsx"
    pd.DataFrame({"x": [1, 2], "y": ["a", None]}).to_excel(xlsx, index=False)
    assert read_file(xlsx).data["x"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "file not found"),
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"  \n\n", "no text"),
        ("header.csv", b"a,b\n", "no data rows"),
        ("bad.xlsx", b"PK\x03\x04 not really a zip", "Excel workbook"),
        ("renamed.xlsx", b"a,b\n1,2\n", "does not look like a xlsx"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "legacy Excel"),
        ("latin.csv", b"a\n\xff\n", "neither UTF-8"),
        ("bad.sav", b"$FL2garbage", "cannot read as SPSS"),
    ],
)
def test_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_table(path)
    assert str(path) in str(info.value)


def test_truncated_xlsx(tmp_path):
    path = tmp_path / "full.xlsx"
    wjx_frame().to_excel(path, index=False)
    data = path.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="Excel workbook"):
        read_table(cut)


def test_utf8_bom_header_clean(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "序号,CVA1\n1,5\n".encode())
    assert read_table(path).columns.tolist() == ["序号", "CVA1"]
