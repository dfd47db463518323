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
        raise InputError(
            "file not found", file=path, hint="check the path (and the working folder)"
        )
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
    if (
        declared in binary
        and by_content != declared
        and not (declared == "dta" and by_content is None)
    ):
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
    if head.startswith(b"<stata_dta>") or (
        len(head) > 1 and head[0] in (113, 114, 115) and head[1] in (1, 2)
    ):
        return "dta"
    return None


def _plausibility(text: str) -> float:
    """Mean weight of the non-ASCII characters: 1 for CJK, Latin-1 letters, punctuation and emoji,
    0.5 for rarer Latin letters and stray combining marks (what short GBK text read as UTF-8 looks
    like), else 0."""
    weights = []
    previous = ""
    for ch in text:
        o, after = ord(ch), previous
        previous = ch
        if o <= 127:
            continue
        if (0x0300 <= o <= 0x030C or o in (0x0327, 0x0328)) and after.isascii() and after.isalpha():
            weights.append(1.0)  # a decomposed accent (NFD, as macOS writes it)
            continue
        if (
            0x00A0 <= o <= 0x00FF
            or 0x2000 <= o <= 0x206F
            or 0x2E80 <= o <= 0x9FFF
            or 0xF900 <= o <= 0xFAFF
            or 0xFE30 <= o <= 0xFFEF
            or o >= 0x1F000
        ):
            weights.append(1.0)
        elif 0x0100 <= o <= 0x017F or 0x0300 <= o <= 0x036F:
            weights.append(0.5)
        else:
            weights.append(0.0)
    return sum(weights) / len(weights) if weights else 1.0


def _utf16_without_bom(raw: bytes, file: str | Path | None) -> str:
    """ "utf-16-le"/"utf-16-be" for text whose ASCII characters alternate with zero bytes.

    Without a byte-order mark, UTF-16 would otherwise decode as UTF-8 with a
    NUL between every character.  Anything else holding zero bytes is not text.
    """
    even, odd = raw[0::2], raw[1::2]
    zeros_even, zeros_odd = even.count(0) / max(len(even), 1), odd.count(0) / max(len(odd), 1)
    if len(raw) % 2 == 0 and zeros_odd > 0.3 and zeros_even < 0.05:
        return "utf-16-le"
    if len(raw) % 2 == 0 and zeros_even > 0.3 and zeros_odd < 0.05:
        return "utf-16-be"
    raise InputError(
        "holds zero bytes: not a text file (nor UTF-16 text that can be recognised)",
        file=file,
        hint="save the file as 'CSV UTF-8' or as .xlsx",
    )


def _looks_like_big5(raw: bytes) -> bool:
    """Whether GB18030-decodable bytes are more likely Big5: valid Big5, and many of their
    two-byte characters fall outside GB2312 (both bytes 0xA1-0xFE, first 0xB0-0xF7), where
    nearly all characters of real simplified-Chinese text lie.

    Examples
    --------
    >>> _looks_like_big5("您的性別是？請選擇學歷".encode("big5")), _looks_like_big5("您的性别是？请选择学历".encode("gbk"))
    (True, False)
    """
    try:
        raw.decode("big5")
    except UnicodeDecodeError:
        return False
    pairs = inside = 0
    i = 0
    while i < len(raw) - 1:
        lead = raw[i]
        if lead < 0x81:
            i += 1
            continue
        trail = raw[i + 1]
        pairs += 1
        inside += (
            0xB0 <= lead <= 0xF7 and 0xA1 <= trail <= 0xFE or 0xA1 <= lead <= 0xA9 and trail >= 0xA1
        )
        i += 2
    return pairs > 0 and inside / pairs < 0.9


def decode_text(raw: bytes, *, file: str | Path | None = None) -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding)``.

    A byte-order mark decides (UTF-8 → ``"utf-8-sig"``, UTF-16); otherwise
    UTF-8 and GB18030 (which reads GBK and GB2312) are tried, and when both
    fit, UTF-8 wins unless the GB18030 reading is more plausible (see
    ``_plausibility``: CJK and Latin-1 count fully, rarer Latin letters half).
    UTF-16 without a byte-order mark is recognised by its zero bytes
    ("utf-16-le"/"utf-16-be"); Big5 (Traditional Chinese), which GB18030 would
    decode as garbage, is refused with a message naming it.
    Only short texts are ambiguous; a UTF-8 file in Polish or Czech without a
    byte-order mark could be misread as Chinese.  Decoding is strict: a byte that fits neither is an error,
    never replaced.

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
    >>> decode_text("群".encode("gbk"))   # also valid UTF-8 ("Ⱥ"), but implausible
    ('群', 'gb18030')
    >>> decode_text("性别,A1\\n男,5\\n".encode("utf-16-le"))
    ('性别,A1\\n男,5\\n', 'utf-16-le')
    """
    if raw.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif b"\x00" in raw:
        candidates = (_utf16_without_bom(raw, file),)
    else:
        candidates = TEXT_ENCODINGS
    first_error: UnicodeDecodeError | None = None
    decoded: list[tuple[str, str]] = []
    for encoding in candidates:
        try:
            decoded.append((raw.decode(encoding), encoding))
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    if decoded:
        # Short GBK text can also be valid UTF-8 ("群" in GBK reads as "Ⱥ"):
        # keep UTF-8 unless the GB18030 reading is more plausible.
        text, encoding = max(decoded, key=lambda d: _plausibility(d[0]))
        if encoding == "gb18030" and _looks_like_big5(raw):
            raise InputError(
                "text looks like Big5 (Traditional Chinese), which cannot be told apart safely "
                "from GBK/GB18030; reading it either way could garble the answers",
                file=file,
                hint="save the file as 'CSV UTF-8' (Excel: Save As > CSV UTF-8) or as .xlsx",
            )
        return text, encoding
    assert first_error is not None
    line = raw[: first_error.start].count(b"\n") + 1
    raise InputError(
        f"text is neither {' nor '.join(e.upper() for e in candidates)} "
        f"(undecodable byte at line {line})",
        file=file,
        row=line,
        hint="save the file as 'CSV UTF-8' or as .xlsx",
    )
