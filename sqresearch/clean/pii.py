"""Personal data: find it by header and by content, remove it, and scan written files for it.

Headers that ask for contact or identity (IP, 手机, 电话, e-mail, 邮箱, 姓名,
微信号, QQ, 身份证, 联系方式, 地址, ...) mark a column as personal data.
So does a header that itself holds personal data.  Content patterns find
IPv4/IPv6 addresses, Chinese mobile numbers (1[3-9] and nine digits, also
spaced, hyphenated or after +86), landlines with an area code, e-mail
addresses, 18-digit resident ID numbers, WeChat/QQ ids written after a
keyword ("微信: tea_lover88", "加我vx tea_lover_88"), street addresses (with
the recipient's name after them) and names after 收件人/联系人/姓名; digits
may be full-width or Chinese numerals (一三八...).

:func:`scan_path` is the safety net: it reads every file under a folder
(text, CSV, JSON, Markdown, LaTeX, xlsx/docx contents, .sav/.dta values) and
lists what it finds, masked, with its own broader patterns
(:data:`SCAN_PATTERNS`), so that a form the cleaning step misses is still
caught there, and tests of any stage can assert that nothing personal was written.
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
_HAN = "\u4e00-\u9fa5"

#: Digits as people also write them: full-width digits and Chinese numerals
#: (幺 is "one" read aloud in phone numbers), each mapped to one ASCII
#: character so that match positions stay those of the original text.
DIGIT_FORMS = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **dict(zip("零〇一幺二两三四五六七八九", "0011223456789", strict=True)),
        "＠": "@",
        "－": "-",
        "（": "(",
        "）": ")",
        "＋": "+",
    }
)

#: Content patterns -> kind, matched on the text with :data:`DIGIT_FORMS`
#: applied; candidates for ip/ipv6 are checked by :mod:`ipaddress`.
CONTENT_PATTERNS: dict[str, re.Pattern[str]] = {
    "ipv4": re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"),
    "ipv6": re.compile(
        r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])"
    ),
    # 13812345678, 138 1234 5678, 138-1234-5678, +86 138 1234 5678, 8613812345678
    "phone": re.compile(
        _NOT_ALNUM_BEFORE
        + r"(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}[-\s]?\d{4}|\d{8})"
        + _NOT_ALNUM_AFTER
    ),
    # (0571)8888-1234, 0571-88881234, 010-1234-5678
    "landline": re.compile(r"(?<![\d\-])(?:\(0\d{2,3}\)\s*|0\d{2,3}-)[2-9]\d{2,3}-?\d{4}(?!\d)"),
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "id_number": re.compile(
        _NOT_ALNUM_BEFORE
        + r"\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
        + _NOT_ALNUM_AFTER
    ),
    "wechat": re.compile(
        r"wxid_[A-Za-z0-9_-]{4,}"
        r"|(?<![A-Za-z])(?:微信号?|weixin|wechat|vx|wx|v信|威信|薇信)\s*(?:号|id)?\s*[:：是为]\s*"
        r"[A-Za-z][-_A-Za-z0-9]{5,19}"
        # without a colon, the id must hold a digit or an underscore ("加我vx tea_lover_88")
        r"|(?<![A-Za-z])(?:微信号?|vx|wx|v信|威信|薇信)\s*(?=[A-Za-z][-A-Za-z]*[\d_])"
        r"[A-Za-z][-_A-Za-z0-9]{5,19}",
        re.I,
    ),
    "qq": re.compile(
        r"(?<![A-Za-z])(?:qq|扣扣)\s*(?:号)?\s*[:：是为]?\s*[1-9]\d{4,10}" + _NOT_ALNUM_AFTER, re.I
    ),
    # 文三路100号(3幢201室)( 张三收): a street address, with the recipient written after it
    "address": re.compile(
        rf"[{_HAN}0-9]{{1,12}}(?:路|街|巷|弄|大道|胡同)\d{{1,5}}(?:-\d{{1,4}})?号"
        rf"(?:\d{{1,4}}(?:幢|栋|单元|室|楼))*(?:[\s,，]*[{_HAN}0-9]{{2,4}}(?:先生|女士|小姐)?收)?"
    ),
    # Chinese numerals are read as digits (see DIGIT_FORMS), so 张三 is matched as 张3
    "name": re.compile(
        rf"(?:收件人|收货人|联系人|姓名|名字)\s*(?:是|为|叫|[:：])\s*[{_HAN}·0-9]{{2,4}}"
    ),
}

#: The output scan's own, broader patterns (see :func:`scan_text`): digit runs
#: of a mobile or an ID card whatever separates them, any keyword of a
#: contact id, any 'at' mark; independent of :data:`CONTENT_PATTERNS` so
#: that a gap in one is not a gap in both.
SCAN_PATTERNS: dict[str, re.Pattern[str]] = {
    "phone": re.compile(
        _NOT_ALNUM_BEFORE + r"(?:\+?\s*86[-\s]*)?1[3-9](?:[-\s]*\d){9}(?![0-9A-Za-z.])"
    ),
    "landline": re.compile(
        r"(?<![\dA-Za-z.\-])\(?0\d{2,3}\)?[-\s]*[2-9]\d{2,3}[-\s]?\d{4}(?![\d.\-])"
    ),
    # a region code (1-8), a birth year, then any digits, spaced or not (no date check)
    "id_number": re.compile(
        r"(?<![0-9A-Za-z./])[1-8]\d{5}[-\s]?(?:18|19|20)\d{6}[-\s]?\d{3}[\dXx]" + _NOT_ALNUM_AFTER
    ),
    "email": re.compile(
        r"[A-Za-z0-9._%+-]+(?:@|\s*(?:\[at\]|\(at\))\s*)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.I
    ),
    "wechat": re.compile(
        r"(?<![A-Za-z])(?:微信|weixin|wechat|vx|wx|v信|威信|薇信|加我)[^A-Za-z0-9\n]{0,4}"
        r"(?=[A-Za-z][-A-Za-z]*[\d_])[A-Za-z][-_A-Za-z0-9]{5,19}",
        re.I,
    ),
    "qq": re.compile(r"(?<![A-Za-z])(?:qq|扣扣)[^A-Za-z0-9\n]{0,4}[1-9]\d{4,10}(?!\d)", re.I),
    "address": re.compile(r"(?:路|街|巷|弄|大道|胡同)\s*\d{1,5}\s*号"),
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
    >>> [k for k, _ in find_pii("加我vx tea_lover_88, 或 +86 138 1234 5678, 座机(0571)8888-1234")]
    ['phone', 'landline', 'wechat']
    >>> find_pii("手机 一三八一二三四五六七八")
    [('phone', '一三八一二三四五六七八')]
    """
    return _find(text, CONTENT_PATTERNS)


def _find(text: str, patterns: dict[str, re.Pattern[str]]) -> list[tuple[str, str]]:
    digits = text.translate(DIGIT_FORMS)  # same length: positions are those of ``text``
    found = []
    for kind, pattern in patterns.items():
        for match in pattern.finditer(digits):
            value = text[match.start() : match.end()]
            if kind in ("ipv4", "ipv6") and not _valid_ip(value, kind):
                continue
            found.append((kind, value))
    return found


def find_pii_broad(text: str) -> list[tuple[str, str]]:
    """Personal data as the output scan looks for it: :func:`find_pii` and :data:`SCAN_PATTERNS`.

    Examples
    --------
    >>> [k for k, _ in find_pii_broad("电话 13 8123 45678")]
    ['phone']
    >>> find_pii_broad("χ²(24) = 85.306, p < .001; sha256 9f86d081884c7d659a2feaa0c55ad015")
    []
    """
    return _find(text, CONTENT_PATTERNS) + [
        hit for hit in _find(text, SCAN_PATTERNS) if hit not in _find(text, CONTENT_PATTERNS)
    ]


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
        if kind is None and (in_header := find_pii(str(column))):
            kind = in_header[0][0]
        if kind is None and roles and roles.get(column) in personal_roles:
            kind, by = personal_roles[roles[column]], "platform"
        cells = data[column].dropna()
        cells = cells[cells.map(lambda v: isinstance(v, str))]
        hits = [found for found in map(find_pii, cells) if found]
        n_cells = len(hits)
        if kind is None and n_cells:
            kind = hits[0][0][0]
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
    """Findings in one text, located by line (with the broader :func:`find_pii_broad`)."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        for kind, value in find_pii_broad(line):
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
