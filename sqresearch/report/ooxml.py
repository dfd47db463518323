"""Byte-identical Office Open XML packages (.docx, .xlsx).

python-docx and openpyxl stamp the save time into ``docProps/core.xml`` and
into every zip entry, so two saves of the same table differ.  This module
rewrites a saved package with one fixed time everywhere (see
/work/shared/NOTES.md, "openpyxl").
"""

from __future__ import annotations

import io
import re
import zipfile

#: The timestamp written into every package (zip entries and document properties).
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_ISO = "2000-01-01T00:00:00Z"

_STAMP = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalise_package(data: bytes) -> bytes:
    """Rewrite a zipped Office document with fixed timestamps.

    Entries keep their order and contents; each gets :data:`FIXED_TIME`,
    deflate compression and the same file attributes, and the created and
    modified dates in ``docProps/core.xml`` become :data:`FIXED_ISO`.

    Examples
    --------
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("a.xml", "<a/>")
    >>> out = normalise_package(buf.getvalue())
    >>> zipfile.ZipFile(io.BytesIO(out)).infolist()[0].date_time
    (2000, 1, 1, 0, 0, 0)
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                content = _STAMP.sub(rf"\g<1>{FIXED_ISO}\g<3>", text).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content)
    return out.getvalue()
