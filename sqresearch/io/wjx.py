"""问卷星 (wjx.cn) exports: text form (按选项文本) and numeric form (按选项序号), xlsx or CSV.

An export starts with platform columns (序号, 提交答卷时间, 所用时间 "125秒",
来源, 来源详情, 来自IP "1.2.3.4(浙江-杭州)"), then one column per question,
headed "1、题干"; a matrix question has one column per row, headed
"3、题干—子项" or "3、(子项)".  A multi-select answer joins options with
"┋"; a skipped question shows "(跳过)" (numeric form: -3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sqresearch.errors import InputError
from sqresearch.io.tables import RawSurvey, read_file

#: Platform column -> role.
WJX_COLUMNS = {
    "序号": "id",
    "答卷编号": "id",
    "提交答卷时间": "submitted",
    "开始答题时间": "started",
    "所用时间": "duration",
    "来源": "source",
    "来源详情": "source_detail",
    "来自IP": "ip",
    "总分": "score",
}

#: Cells that mean "no answer" in the text form.
WJX_MISSING_TEXT = ("(跳过)", "（跳过）", "(空)", "（空）")

#: Codes that mean "no answer" in the numeric form: -3 skipped by logic, -2 not shown.
WJX_MISSING_CODES = (-3, -2)

MULTI_SEPARATOR = "┋"

_HEADER = re.compile(r"^\s*(?P<num>\d+)\s*(?:[、.．:：]\s*(?P<text>.*)|(?P<paren>[(（].*))$", re.S)
_SUB_SEPARATORS = ("—", "——", "--", "－")
_CLOCK = re.compile(r"^\s*(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:\.\d+)?)\s*$")
_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+)\s*小时)?\s*(?:(?P<m>\d+)\s*分(?:钟)?)?\s*(?:(?P<s>\d+(?:\.\d+)?)\s*秒)?\s*$"
)
_IP = re.compile(r"^\s*(?P<ip>[0-9A-Fa-f:.]+)\s*(?:[(（](?P<place>[^)）]*)[)）])?\s*$")


@dataclass(frozen=True)
class WjxHeader:
    """A question header split into number, stem and matrix row (``sub``)."""

    number: int
    stem: str
    sub: str | None

    @property
    def text(self) -> str:
        """The wording a respondent read for this column (matrix row if any, else the stem)."""
        return self.sub if self.sub else self.stem


def parse_header(header: str) -> WjxHeader | None:
    """Split a 问卷星 question header; None for platform columns.

    Examples
    --------
    >>> parse_header("3、您对本社群的看法—我觉得社群很有价值")
    WjxHeader(number=3, stem='您对本社群的看法', sub='我觉得社群很有价值')
    >>> parse_header("4、(我愿意推荐)")
    WjxHeader(number=4, stem='', sub='我愿意推荐')
    >>> parse_header("1、您的性别：").text
    '您的性别：'
    >>> parse_header("所用时间") is None
    True
    """
    match = _HEADER.match(str(header))
    if not match:
        return None
    number = int(match["num"])
    text = (match["text"] if match["text"] is not None else match["paren"]).strip()
    paren = re.fullmatch(r"(?P<stem>.*?)[(（](?P<sub>[^()（）]+)[)）]\s*", text)
    for sep in _SUB_SEPARATORS:
        if sep in text:
            stem, sub = text.split(sep, 1)
            return WjxHeader(number, stem.strip(), sub.strip())
    if paren and (not paren["stem"] or paren["stem"].endswith(("：", ":"))):
        return WjxHeader(number, paren["stem"].strip(), paren["sub"].strip())
    return WjxHeader(number, text, None)


def parse_duration(value: object) -> float:
    """Seconds in a completion time ("125秒", "2分5秒", "1小时2分3秒", "0:02:05", or a number).

    Raises ``ValueError`` for text that is no duration; missing gives NaN.

    Examples
    --------
    >>> parse_duration("125秒"), parse_duration("2分5秒"), parse_duration("0:02:05"), parse_duration(90)
    (125.0, 125.0, 125.0, 90.0)
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return float("nan")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    text = str(value).strip()
    if not text:
        return float("nan")
    try:
        return float(text)
    except ValueError:
        pass
    match = _CLOCK.match(text) or _DURATION.match(text)
    if not match or not any(match.groupdict().values()):
        raise ValueError(f"not a duration: {text!r}")
    h, m, s = (float(match[k]) if match[k] else 0.0 for k in ("h", "m", "s"))
    return 3600 * h + 60 * m + s


def parse_ip(value: object) -> tuple[str | None, str | None, str | None]:
    """Split "1.2.3.4(浙江-杭州)" into (ip, province, city); Nones where absent.

    Examples
    --------
    >>> parse_ip("1.2.3.4(浙江-杭州)")
    ('1.2.3.4', '浙江', '杭州')
    >>> parse_ip("240e:3a1::1(广东)")
    ('240e:3a1::1', '广东', None)
    """
    if value is None or not isinstance(value, str):
        return None, None, None
    match = _IP.match(value)
    if not match:
        return None, None, None
    place = (match["place"] or "").strip()
    parts = [p.strip() for p in re.split(r"[-－—]", place) if p.strip()] if place else []
    province = parts[0] if parts and parts[0] not in ("未知", "unknown") else None
    city = parts[1] if len(parts) > 1 else None
    return match["ip"], province, city


def split_multiselect(series: pd.Series, options: list[str] | None = None) -> pd.DataFrame:
    """0/1 indicator columns from a multi-select column ("A┋B").

    Columns are named ``"<column>┋<option>"`` in ``options`` order (default:
    order of first appearance).  Missing answers stay missing in every column.

    Examples
    --------
    >>> s = pd.Series(["微信群┋小红书", "微信群", None], name="5、渠道")
    >>> split_multiselect(s).to_dict("list")
    {'5、渠道┋微信群': [1.0, 1.0, nan], '5、渠道┋小红书': [1.0, 0.0, nan]}
    """
    chosen = series.map(
        lambda v: [p.strip() for p in str(v).split(MULTI_SEPARATOR)] if pd.notna(v) else None
    )
    if options is None:
        options = list(dict.fromkeys(o for row in chosen.dropna() for o in row if o))
    out = {
        f"{series.name}{MULTI_SEPARATOR}{opt}": chosen.map(
            lambda r, o=opt: np.nan if r is None else float(o in r)
        )
        for opt in options
    }
    return pd.DataFrame(out, index=series.index)


def is_wjx(columns: list[str]) -> bool:
    """Whether the header row looks like a 问卷星 export."""
    names = set(map(str, columns))
    return "序号" in names and bool(names & {"提交答卷时间", "所用时间", "来自IP"})


def read_wjx(path: str | Path, *, sheet: str | int = 0) -> RawSurvey:
    """Read a 问卷星 export (text or numeric form, xlsx or CSV).

    The frame keeps the export's columns and header text.  The reader:
    reads "(跳过)"/"(空)" (numeric form: -3, -2 in question columns) as
    missing, counting them in ``notes``; turns 所用时间 into seconds; records
    each column's role (``roles``) and wording (``questions``); and tells
    the text form from the numeric form (``form``).

    Raises
    ------
    InputError
        If the file is not a 问卷星 export, or a duration cannot be read
        (naming 序号 and value).

    Examples
    --------
    >>> import tempfile, os
    >>> text = "序号,提交答卷时间,所用时间,来自IP,1、您的性别：\\n1,2025/3/1 10:00:00,125秒,1.2.3.4(浙江-杭州),男\\n"
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
    ...     _ = f.write(text)
    >>> raw = read_wjx(f.name)
    >>> raw.form, raw.data["所用时间"].tolist(), raw.column("ip")
    ('text', [125.0], '来自IP')
    >>> os.remove(f.name)
    """
    return wjx_from_raw(read_file(path, sheet=sheet, na_values=[""]))


def wjx_from_raw(raw: RawSurvey) -> RawSurvey:
    """Interpret a file already read by :func:`~sqresearch.io.tables.read_file` as a 问卷星 export."""
    data = raw.data
    if not is_wjx(list(data.columns)):
        raise InputError(
            "not a 问卷星 export (expected columns 序号 and 提交答卷时间/所用时间/来自IP)",
            file=raw.path,
            hint="use read_table() for other files, or name the platform",
        )
    data.columns = [str(c) for c in data.columns]
    roles = {c: WJX_COLUMNS[c] for c in data.columns if c in WJX_COLUMNS}
    headers = {c: h for c in data.columns if c not in roles and (h := parse_header(c)) is not None}
    notes: list[str] = []

    for token in WJX_MISSING_TEXT:
        hits = int((data == token).to_numpy().sum())
        if hits:
            data = data.mask(data == token)
            notes.append(f"{token} read as missing in {hits} cells")
    form = _detect_form(data, list(headers))
    if form == "numeric":
        for code in WJX_MISSING_CODES:
            cols = list(headers)
            hit = data[cols].apply(pd.to_numeric, errors="coerce") == code
            hits = int(hit.to_numpy().sum())
            if hits:
                data[cols] = data[cols].mask(hit)
                notes.append(
                    f"numeric code {code} (问卷星 'no answer') read as missing in {hits} cells"
                )
    id_col = next((c for c, r in roles.items() if r == "id"), None)
    duration = next((c for c, r in roles.items() if r == "duration"), None)
    if duration is not None:
        data[duration] = durations(data, duration, id_col, raw.path)
    for col in headers:
        if data[col].dtype == object or pd.api.types.is_string_dtype(data[col]):
            if data[col].astype("string").str.contains(MULTI_SEPARATOR, regex=False).any():
                roles[col] = "multi"
    data = data.infer_objects()
    raw.data = data
    raw.platform = "wjx"
    raw.form = form
    raw.roles = roles
    raw.questions = {c: h.text for c, h in headers.items()}
    raw.notes.extend(notes)
    return raw


def durations(data: pd.DataFrame, column: str, id_col: str | None, path: Path) -> pd.Series:
    """Column ``column`` parsed by :func:`parse_duration`; errors name the respondent."""
    values = []
    for i, value in enumerate(data[column]):
        try:
            values.append(parse_duration(value))
        except ValueError:
            row = data[id_col].iloc[i] if id_col else i + 1
            raise InputError(
                "cannot read the completion time (expected e.g. '125秒')",
                file=path,
                column=column,
                row=row,
                value=value,
            ) from None
    return pd.Series(values, index=data.index, dtype=float)


def _detect_form(data: pd.DataFrame, questions: list[str]) -> str:
    """ "numeric" when most question columns hold only numbers (or "1┋3"), else "text"."""
    if not questions:
        return "text"

    def numeric(col: str) -> bool:
        values = data[col].dropna().astype(str).str.replace(MULTI_SEPARATOR, "", regex=False)
        return len(values) > 0 and bool(values.str.fullmatch(r"-?\d+(\.0)?").all())

    share = sum(numeric(c) for c in questions) / len(questions)
    return "numeric" if share >= 0.5 else "text"
