"""Credamo (见数, credamo.com) exports, xlsx or CSV.

A Credamo download has platform columns (answer id, start and submit
times, completion time, IP and its location, device) followed by one column
per question headed "Q1.题干", with matrix rows as "Q3_1.子项" (or
"Q3|子项").  Column names differ between export versions, so roles are
matched from a list of the names seen (:data:`CREDAMO_COLUMNS`).
"""

from __future__ import annotations

import re
from pathlib import Path

from sqresearch.errors import InputError
from sqresearch.io.tables import RawSurvey, read_file
from sqresearch.io.wjx import durations

#: Platform column -> role.
CREDAMO_COLUMNS = {
    "答卷编号": "id",
    "作答ID": "id",
    "答题序号": "id",
    "序号": "id",
    "用户ID": "user",
    "开始时间": "started",
    "开始答题时间": "started",
    "提交时间": "submitted",
    "结束时间": "submitted",
    "作答时长": "duration",
    "作答时长(秒)": "duration",
    "作答时长（秒）": "duration",
    "答题时长": "duration",
    "答题时长(秒)": "duration",
    "答题时长（秒）": "duration",
    "IP": "ip",
    "IP地址": "ip",
    "IP所在地": "location",
    "所在地区": "location",
    "设备": "source",
    "设备类型": "source",
    "作答状态": "status",
    "审核状态": "status",
}

_QUESTION = re.compile(
    r"^\s*Q(?P<num>\d+)(?:[_\-](?P<row>\d+))?\s*(?:[.．、:：|]\s*(?P<text>.*))?$", re.S
)


def parse_question(header: str) -> tuple[int, int | None, str] | None:
    """Split "Q3_1.子项" into (3, 1, "子项"); None for platform columns.

    Examples
    --------
    >>> parse_question("Q3_1.我觉得社群很有价值")
    (3, 1, '我觉得社群很有价值')
    >>> parse_question("Q1|您的性别")
    (1, None, '您的性别')
    >>> parse_question("IP所在地") is None
    True
    """
    match = _QUESTION.match(str(header))
    if not match:
        return None
    return (
        int(match["num"]),
        int(match["row"]) if match["row"] else None,
        (match["text"] or "").strip(),
    )


def is_credamo(columns: list[str]) -> bool:
    """Whether a header row looks like a Credamo export (Q-numbered questions + its platform columns)."""
    names = [str(c) for c in columns]
    platform = {c for c in names if c in CREDAMO_COLUMNS} - {"序号"}
    return bool(platform) and any(parse_question(c) for c in names)


def read_credamo(path: str | Path, *, sheet: str | int = 0) -> RawSurvey:
    """Read a Credamo (见数) export; durations become seconds.

    Raises
    ------
    InputError
        If the header row is not a Credamo export's, or a duration cannot be read.
    """
    return credamo_from_raw(read_file(path, sheet=sheet, na_values=[""]))


def credamo_from_raw(raw: RawSurvey) -> RawSurvey:
    """Interpret a file already read by :func:`~sqresearch.io.tables.read_file` as a Credamo export."""
    data = raw.data
    data.columns = [str(c) for c in data.columns]
    if not is_credamo(list(data.columns)):
        raise InputError(
            "not a Credamo export (expected Q-numbered questions and columns such as 作答时长, IP所在地)",
            file=raw.path,
        )
    roles = {c: CREDAMO_COLUMNS[c] for c in data.columns if c in CREDAMO_COLUMNS}
    id_col = next((c for c, r in roles.items() if r == "id"), None)
    duration = next((c for c, r in roles.items() if r == "duration"), None)
    if duration is not None:
        data[duration] = durations(data, duration, id_col, raw.path)
    questions = {}
    for col in data.columns:
        if col not in roles and (parsed := parse_question(col)) is not None:
            questions[col] = parsed[2]
    raw.platform = "credamo"
    raw.roles = roles
    raw.questions = questions
    return raw
