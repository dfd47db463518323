"""Property-based tests: malformed or odd files give a correct frame or a clear InputError, nothing else."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sqresearch.errors import InputError
from sqresearch.io import read_survey, read_table
from sqresearch.io.tables import NA_VALUES

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Text without digits (so nothing is read as a number) but with the oddities real exports carry:
# CJK, full-width forms, zero-width and combining marks, emoji, quotes, delimiters, newlines.
# (accents combine with the letter before them, as in NFD text)
ODD = list("非常同意不一般男女茶社群ＡＢＣ（）：，、\u200b\u200d\u00e9😀\"',;\t\n -") + [
    "e\u0301",
    "n\u0303",
]
cell = (
    st.lists(st.sampled_from(list("abcxyzABC") + ODD), min_size=1, max_size=8)
    .map("".join)
    .filter(
        lambda s: (
            s.strip() and s not in NA_VALUES and s.strip(" \u200b\u200d") == s and "\r" not in s
        )
    )
)
header = st.text(alphabet=st.sampled_from(list("abcxyz非常同意题干—序号")), min_size=1, max_size=6)


@st.composite
def tables(draw):
    names = draw(st.lists(header, min_size=1, max_size=5, unique=True))
    rows = draw(
        st.lists(st.lists(cell, min_size=len(names), max_size=len(names)), min_size=1, max_size=6)
    )
    return names, rows


def _csv_text(names, rows, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
    return buffer.getvalue()


@SETTINGS
@given(table=tables(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_any_text_table_reads_back_exactly(tmp_path, table, encoding):
    names, rows = table
    path = tmp_path / "t.csv"
    path.write_bytes(_csv_text(names, rows).encode(encoding))
    frame = read_table(path)
    assert frame.columns.tolist() == names
    assert frame.astype(object).values.tolist() == rows


GBK_CELL = st.text(
    alphabet=st.sampled_from(list("abcxyz非常同意不一般男女茶社群（）：，、Ａ\"',; -群")),
    min_size=1,
    max_size=6,
)


@SETTINGS
@given(
    names=st.lists(header, min_size=1, max_size=3, unique=True),
    cells=st.lists(GBK_CELL.filter(lambda s: s.strip() == s and s.strip()), min_size=1, max_size=9),
)
def test_gbk_and_utf8_give_the_same_frame(tmp_path, names, cells):
    rows = [cells[i : i + len(names)] for i in range(0, len(cells) - len(names) + 1, len(names))]
    assume(rows)
    text = _csv_text(names, rows)
    (tmp_path / "u.csv").write_bytes(text.encode("utf-8"))
    (tmp_path / "g.csv").write_bytes(text.encode("gbk"))
    pd.testing.assert_frame_equal(read_table(tmp_path / "u.csv"), read_table(tmp_path / "g.csv"))


@SETTINGS
@given(
    names=st.lists(header, min_size=1, max_size=4, unique=True),
    suffix=st.sampled_from([".csv", ".xlsx"]),
)
def test_header_only_files_are_a_clear_error(tmp_path, names, suffix):
    path = tmp_path / f"h{suffix}"
    if suffix == ".csv":
        path.write_text(",".join(f'"{n}"' for n in names) + "\n", encoding="utf-8")
    else:
        pd.DataFrame(columns=names).to_excel(path, index=False)
    with pytest.raises(InputError):
        read_table(path)


@SETTINGS
@given(
    data=st.binary(max_size=400),
    suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".sav", ".dta", ""]),
)
def test_random_bytes_never_crash(tmp_path, data, suffix):
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(data)
    try:
        frame = read_table(path)
    except InputError as exc:
        assert str(path) in str(exc)
    else:
        assert isinstance(frame, pd.DataFrame) and len(frame) > 0


@pytest.fixture(scope="module")
def xlsx_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("x") / "wjx.xlsx"
    from test_io_readers import wjx_frame

    wjx_frame().to_excel(path, index=False)
    return path.read_bytes()


@SETTINGS
@given(cut=st.floats(0.0, 0.999), flip=st.integers(0, 10_000))
def test_truncated_or_corrupted_xlsx(tmp_path, xlsx_bytes, cut, flip):
    data = bytearray(xlsx_bytes[: max(1, int(len(xlsx_bytes) * cut))])
    if flip < len(data) and flip > 4:
        data[flip] ^= 0xFF
    path = tmp_path / "cut.xlsx"
    path.write_bytes(bytes(data))
    try:
        raw = read_survey(path)
    except InputError:
        return
    assert raw.data.shape[0] > 0  # a readable remnant is a frame, never a crash


@SETTINGS
@given(
    values=st.lists(
        st.one_of(st.integers(-5, 9), st.sampled_from(["同意", "(跳过)", "", "5 ", "５"])),
        min_size=2,
        max_size=8,
    )
)
def test_mixed_type_column(tmp_path, values):
    path = tmp_path / "mixed.csv"
    text = "序号,x\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values, start=1))
    path.write_text(text, encoding="utf-8")
    frame = read_table(path)
    assert len(frame) == len(values)
    assert frame["序号"].tolist() == list(range(1, len(values) + 1))
