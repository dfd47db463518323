"""Personal data: find it by header and by content, remove it, and scan written files for it.

Headers that ask for contact or identity (IP, 手机, 电话, e-mail, 邮箱, 姓名,
微信号, QQ, 身份证, 联系方式, 地址, ...) mark a column as personal data.
Content patterns find IPv4/IPv6 addresses, Chinese mobile numbers
(1[3-9] and nine digits), e-mail addresses, 18-digit resident ID numbers and
WeChat/QQ ids written after a keyword ("微信: tea_lover88") in any text.

:func:`scan_path` is the safety net: it reads every file under a folder
(text, CSV, JSON, Markdown, LaTeX, xlsx/docx contents, .sav/.dta values) and
lists what it finds, masked, so that tests of any stage can assert that
nothing personal was written.
"""

from __future__ import annotations

import ipaddress
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

#: Header patterns (case-insensitive, searched in the header text) -> kind.
HEADER_PATTERNS: dict[str, re.Pattern[str]] = {
    "ip": re.compile(r"来自\s*ip|ip\s*地址|ip\s*所在地|ip\s*属地|ipaddress|^\s*ip\s*$", re.I),
    "phone": re.compile(r"手机|电话|联系方式|phone|mobile|^\s*tel\s*$", re.I),
    "email": re.compile(r"邮箱|电子邮件|e-?mail", re.I),
    "name": re.compile(
        r"姓名|真实姓名|您的名字|your\s+name|联系人|称呼|昵称|用户名|nickname|username|first\s*name|last\s*name|full\s*name|^\s*name\s*$",
        re.I,
    ),
    "wechat": re.compile(r"微信号|微信\s*id|wechat\s*id|weixin|^\s*微信\s*$|^\s*wechat\s*$", re.I),
    "qq": re.compile(r"qq\s*号|^\s*qq\s*$", re.I),
    "id_number": re.compile(r"身份证|证件号|id\s*number|id\s*card", re.I),
    "address": re.compile(r"地址|住址|address|latitude|longitude|经纬度", re.I),
}

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z.])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

#: Content patterns -> kind; candidates for ip/ipv6 are checked by :mod:`ipaddress`.
CONTENT_PATTERNS: dict[str, re.Pattern[str]] = {
    "ipv4": re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"),
    "ipv6": re.compile(
        r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])"
    ),
    "phone": re.compile(_NOT_ALNUM_BEFORE + r"(?:\+?86[-\s]?)?1[3-9]\d{9}" + _NOT_ALNUM_AFTER),
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "id_number": re.compile(
        _NOT_ALNUM_BEFORE
        + r"\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
        + _NOT_ALNUM_AFTER
    ),
    "wechat": re.compile(
        r"(?:wxid_[A-Za-z0-9_-]{4,}|(?:微信号?|weixin|wechat|vx|wx|v信)\s*(?:号|id)?\s*[:：是为]\s*[A-Za-z][-_A-Za-z0-9]{5,19})",
        re.I,
    ),
    "qq": re.compile(
        r"(?:qq|扣扣)\s*(?:号)?\s*[:：是为]?\s*[1-9]\d{4,10}" + _NOT_ALNUM_AFTER, re.I
    ),
}

#: File suffixes :func:`scan_path` reads as text.
TEXT_SUFFIXES = {
    ".csv",
    ".tsv",
    ".txt",
    ".json",
    ".md",
    ".tex",
    ".yaml",
    ".yml",
    ".html",
    ".htm",
    ".bib",
    ".log",
    ".py",
    ".xml",
    ".svg",
}
#: Zip containers whose XML parts :func:`scan_path` reads.
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".docx", ".pptx"}

FINDING_COLUMNS = ["file", "location", "kind", "masked"]


def header_kind(header: object) -> str | None:
    """The kind of personal data a column header asks for, or None.

    Examples
    --------
    >>> header_kind("来自IP"), header_kind("您的手机号码"), header_kind("1、您的性别")
    ('ip', 'phone', None)
    >>> header_kind("您是否加入过品牌微信群?") is None
    True
    """
    text = str(header)
    return next((kind for kind, pattern in HEADER_PATTERNS.items() if pattern.search(text)), None)


def mask(text: str) -> str:
    """Keep the first two and last two characters: "13812345678" -> "13*******78".

    Examples
    --------
    >>> mask("13812345678")
    '13*******78'
    """
    return text[:2] + "*" * max(len(text) - 4, 1) + text[-2:] if len(text) > 4 else "*" * len(text)


def find_pii(text: str) -> list[tuple[str, str]]:
    """Every (kind, matched text) of personal data in ``text``.

    Examples
    --------
    >>> find_pii("电话13812345678, 邮箱 a.b@example.com, 来自1.2.3.4(浙江-杭州)")
    [('ipv4', '1.2.3.4'), ('phone', '13812345678'), ('email', 'a.b@example.com')]
    >>> find_pii("提交于 2025/3/1 10:20:30, α = 0.13512345678, 版本 2.3.11")
    []
    """
    found = []
    for kind, pattern in CONTENT_PATTERNS.items():
        for match in pattern.finditer(text):
            value = match.group(0)
            if kind in ("ipv4", "ipv6") and not _valid_ip(value, kind):
                continue
            found.append((kind, value))
    return found


def _valid_ip(value: str, kind: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    if kind == "ipv6":
        groups = [g for g in value.split(":") if g]
        return address.version == 6 and len(groups) >= 2
    return True


def pii_columns(data: pd.DataFrame, roles: dict[str, str] | None = None) -> pd.DataFrame:
    """Columns holding personal data, by header, platform role, or content.

    Returns
    -------
    DataFrame
        ``column``, ``kind``, ``found_by`` ("header", "platform" or
        "content"), ``n_cells`` (cells matching a content pattern).  Values
        are never included.
    """
    rows = []
    personal_roles = {"ip": "ip", "contact": "contact", "location": "address"}
    for column in data.columns:
        kind, by = header_kind(column), "header"
        if kind is None and roles and roles.get(column) in personal_roles:
            kind, by = personal_roles[roles[column]], "platform"
        cells = data[column].dropna()
        cells = cells[cells.map(lambda v: isinstance(v, str))]
        hits = cells.map(lambda v: find_pii(v))
        n_cells = int(hits.map(bool).sum())
        if kind is None and n_cells:
            kind = hits[hits.map(bool)].iloc[0][0][0]
            by = "content"
        if kind is not None:
            rows.append(dict(column=column, kind=kind, found_by=by, n_cells=n_cells))
    return pd.DataFrame(rows, columns=["column", "kind", "found_by", "n_cells"])


def redact(text: object, replacement: str = "[已删除]") -> object:
    """``text`` with every personal-data match replaced; non-text unchanged.

    Examples
    --------
    >>> redact("加我微信: tea_lover88 谢谢")
    '加我[已删除] 谢谢'
    """
    if not isinstance(text, str):
        return text
    for _, value in sorted(find_pii(text), key=lambda kv: -len(kv[1])):
        text = text.replace(value, replacement)
    return text


def scan_text(text: str, file: str, location_prefix: str = "") -> list[dict[str, str]]:
    """Findings in one text, located by line."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        for kind, value in find_pii(line):
            rows.append(
                dict(
                    file=file,
                    location=f"{location_prefix}line {number}",
                    kind=kind,
                    masked=mask(value),
                )
            )
    return rows


def _zip_texts(path: Path) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") and "docProps" not in name:
                xml = archive.read(name).decode("utf-8", errors="replace")
                yield name, re.sub(r"<[^>]+>", "\n", xml)


def scan_file(path: str | Path) -> pd.DataFrame:
    """Findings in one file (see :func:`scan_path`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    rows: list[dict[str, str]] = []
    if suffix in TEXT_SUFFIXES:
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030", "latin-1"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        rows = scan_text(text, str(path))
    elif suffix in ZIP_SUFFIXES:
        try:
            for name, text in _zip_texts(path):
                rows.extend(scan_text(text, str(path), f"{name} "))
        except zipfile.BadZipFile:
            rows = [dict(file=str(path), location="", kind="unreadable", masked="")]
    elif suffix in (".sav", ".dta"):
        from sqresearch.io import read_table

        frame = read_table(path)
        rows = scan_text(
            frame.to_csv(index=False) + "\n" + " ".join(map(str, frame.columns)), str(path)
        )
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def scan_path(path: str | Path) -> pd.DataFrame:
    """Scan a file or every file under a folder for personal data.

    Parameters
    ----------
    path : str or Path
        A file or a folder (searched recursively; hidden folders skipped).

    Returns
    -------
    DataFrame
        One row per finding: ``file``, ``location`` (line, or part and line
        inside an xlsx/docx), ``kind`` (ipv4, ipv6, phone, email, id_number,
        wechat, qq), ``masked`` (the match with its middle hidden).  Empty
        when nothing is found.  Files of other types (images, PDF) are not read.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "ok.csv").write_text("ID,CVA1\\n1,5\\n", encoding="utf-8")
    >>> scan_path(folder).empty
    True
    >>> _ = (folder / "bad.md").write_text("联系: 13812345678\\n", encoding="utf-8")
    >>> scan_path(folder)[["kind", "masked"]].values.tolist()
    [['phone', '13*******78']]
    """
    path = Path(path)
    files = (
        [path]
        if path.is_file()
        else sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    )
    frames = [scan_file(p) for p in files]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FINDING_COLUMNS)
