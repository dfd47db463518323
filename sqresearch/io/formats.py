"""File checks shared by the readers: existence, checksum, format sniffing, text encodings.

Nothing here changes a file; every function only reads bytes.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from sqresearch.errors import InputError

#: Suffix -> file format; anything else is sniffed from its first bytes.
SUFFIX_FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".sav": "sav",
    ".zsav": "sav",
    ".dta": "dta",
}

#: Encodings tried, in order, on a CSV without a byte-order mark.  GB18030 is
#: a superset of GBK and GB2312 (what Excel writes on a Chinese Windows).
TEXT_ENCODINGS = ("utf-8", "gb18030")


def check_file(path: str | Path) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path` if it names a readable, non-empty file.

    Raises
    ------
    InputError
        If the file is missing, is a folder, or has no bytes.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path, hint="check the path (and the working folder)")
    if path.is_dir():
        raise InputError("is a folder, not a data file", file=path)
    if path.stat().st_size == 0:
        raise InputError("file is empty (0 bytes)", file=path, hint="export the data again")
    return path


def sha256_file(path: str | Path) -> str:
    """SHA-256 checksum of a file, as lowercase hex.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile(delete=False) as f:
    ...     _ = f.write(b"abc")
    >>> sha256_file(f.name)[:16]
    'ba7816bf8f01cfea'
    >>> os.remove(f.name)
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sniff_format(path: str | Path) -> str:
    """The file format of ``path``: "csv", "xlsx", "sav" or "dta".

    The suffix decides when it is known; the first bytes must then agree
    (an ``.xlsx`` is a zip archive, a ``.sav`` starts with ``$FL2``/``$FL3``).
    Without a known suffix the first bytes decide, and text is taken as CSV.

    Raises
    ------
    InputError
        For legacy ``.xls`` workbooks, and when the content contradicts the
        suffix (a truncated or renamed file).
    """
    path = check_file(path)
    with open(path, "rb") as handle:
        head = handle.read(16)
    by_content = _format_from_bytes(head)
    suffix = path.suffix.lower()
    if suffix == ".xls" or by_content == "xls":
        raise InputError(
            "legacy Excel 97-2003 workbook (.xls) is not supported",
            file=path,
            hint="open it in Excel or WPS and save as .xlsx or CSV UTF-8",
        )
    declared = SUFFIX_FORMATS.get(suffix)
    if declared is None:
        return by_content or "csv"
    binary = {"xlsx", "sav", "dta"}
    if declared in binary and by_content != declared and not (declared == "dta" and by_content is None):
        raise InputError(
            f"does not look like a {declared} file (damaged, truncated or renamed)",
            file=path,
            hint="export the data again from the survey platform",
        )
    if declared == "csv" and by_content in binary:
        raise InputError(
            f"has a text suffix but holds a {by_content} file",
            file=path,
            hint=f"rename it with the .{by_content} suffix",
        )
    return declared


def _format_from_bytes(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith((b"$FL2", b"$FL3")):
        return "sav"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"<stata_dta>") or (len(head) > 1 and head[0] in (113, 114, 115) and head[1] in (1, 2)):
        return "dta"
    return None


def decode_text(raw: bytes, *, file: str | Path | None = None) -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding)``.

    A byte-order mark decides (UTF-8 → ``"utf-8-sig"``, UTF-16); otherwise
    UTF-8 is tried, then GB18030 (which reads GBK and GB2312).  Decoding is
    strict: a byte that fits none of them is an error, never replaced.

    Raises
    ------
    InputError
        If no encoding fits, naming the line of the first bad byte.

    Examples
    --------
    >>> decode_text("性别".encode("gbk"))
    ('性别', 'gb18030')
    >>> decode_text(codecs.BOM_UTF8 + "性别".encode("utf-8"))
    ('性别', 'utf-8-sig')
    """
    if raw.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = TEXT_ENCODINGS
    first_error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    line = raw[: first_error.start].count(b"\n") + 1
    raise InputError(
        f"text is neither {' nor '.join(e.upper() for e in candidates)} "
        f"(undecodable byte at line {line})",
        file=file,
        row=line,
        hint="save the file as 'CSV UTF-8' or as .xlsx",
    )
