"""Read a data file of any supported format into a DataFrame, leaving the file untouched.

:func:`read_table` is the one loader the command line uses for data
(CSV in any of the usual encodings, xlsx, SPSS ``.sav``, Stata ``.dta``).
:func:`read_file` does the same and returns a :class:`RawSurvey` with the
metadata (format, encoding, value labels, checksum) beside the frame.
"""

from __future__ import annotations

import csv
import functools
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sqresearch.errors import InputError
from sqresearch.io.formats import check_file, decode_text, sha256_file, sniff_format

#: Cells read as missing in generic CSV files (pandas' list, minus words
#: that can be real answers such as "None" or "null").
NA_VALUES = ["", "NA", "N/A", "NaN", "nan", "#N/A", "NULL", "#NULL!"]


class ReadWarning(UserWarning):
    """A reader changed something on the way in (e.g. renamed a duplicate header)."""


@dataclass
class RawSurvey:
    """A survey export as read: the data plus what the file said about it.

    Attributes
    ----------
    data : DataFrame
        One row per submission, columns as in the file (header text kept).
    path : Path
        The file read (never modified).
    platform : str
        "wjx", "credamo", "qualtrics" or "generic".
    file_format : str
        "csv", "xlsx", "sav" or "dta".
    encoding : str or None
        Text encoding of a CSV ("utf-8", "utf-8-sig", "gb18030", "utf-16").
    sha256 : str
        Checksum of the file's bytes when read.
    form : str or None
        For 问卷星 exports: "text" (按选项文本) or "numeric" (按选项序号).
    questions : dict
        Column -> question wording, where the export gives it.
    value_labels : dict
        Column -> {code: label} (SPSS/Stata value labels).
    roles : dict
        Column -> role of a platform column: "id", "submitted", "started",
        "duration", "source", "ip", "location", "status", "consent".
    notes : list of str
        What the reader did to the values (e.g. "(跳过) read as missing in 12 cells").
    """

    data: pd.DataFrame
    path: Path
    platform: str
    file_format: str
    encoding: str | None
    sha256: str
    form: str | None = None
    questions: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def column(self, role: str) -> str | None:
        """The column that plays ``role`` (e.g. "duration"), or None."""
        return next((c for c, r in self.roles.items() if r == role), None)

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>{self.platform}</b> export <code>{self.path.name}</code> "
            f"({self.file_format}{', ' + self.encoding if self.encoding else ''}"
            f"{', ' + self.form + ' form' if self.form else ''}): "
            f"{len(self.data)} rows × {self.data.shape[1]} columns</p>"
        )
        return head + self.data.head()._repr_html_()


def read_table(path: str | Path, *, sheet: str | int = 0) -> pd.DataFrame:
    """Read a data file (CSV, xlsx, SPSS .sav, Stata .dta) into a DataFrame.

    The format comes from the suffix, checked against the file's first bytes
    (or from those bytes alone when the suffix is unknown).  CSV text in
    UTF-8, UTF-8 with BOM, UTF-16 and GBK/GB18030 is detected and read alike;
    the delimiter (comma, tab or semicolon) is sniffed.  Metadata goes into
    ``DataFrame.attrs``: ``source_format``, ``encoding``, ``value_labels``
    (``{column: {code: label}}`` from .sav/.dta) and ``variable_labels``.

    Parameters
    ----------
    path : str or Path
        The file; it is only read.
    sheet : str or int, default 0
        Worksheet of an xlsx file.

    Returns
    -------
    DataFrame

    Raises
    ------
    InputError
        If the file is missing, empty, has a header but no rows, is damaged,
        or its text encoding is not recognised.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as f:
    ...     _ = f.write("性别,CVA1\\n男,5\\n女,4\\n".encode("gbk"))
    >>> df = read_table(f.name)
    >>> df["CVA1"].tolist(), df.attrs["encoding"]
    ([5, 4], 'gb18030')
    >>> os.remove(f.name)
    """
    return read_file(path, sheet=sheet).data


def read_file(
    path: str | Path, *, sheet: str | int = 0, na_values: list[str] | None = None
) -> RawSurvey:
    """Read a data file like :func:`read_table`; return a :class:`RawSurvey`.

    Parameters
    ----------
    path : str or Path
    sheet : str or int, default 0
        Worksheet of an xlsx file.
    na_values : list of str, optional
        Cells read as missing in CSV files (default :data:`NA_VALUES`).
    """
    path = check_file(path)
    checksum = sha256_file(path)
    fmt = sniff_format(path)
    encoding = None
    value_labels: dict[str, dict[Any, str]] = {}
    variable_labels: dict[str, str] = {}
    if fmt == "csv":
        data, encoding = _read_csv(path, NA_VALUES if na_values is None else na_values)
    elif fmt == "xlsx":
        data = _read_xlsx_once(path, sheet, checksum).copy()
    else:
        data, value_labels, variable_labels = _read_readstat(path, fmt)
    if data.shape[1] == 0:
        raise InputError("no columns found", file=path, hint="is the first row the header?")
    if len(data) == 0:
        raise InputError(
            "has a header but no data rows", file=path, hint="export the responses again"
        )
    data.attrs.update(
        source_format=fmt,
        encoding=encoding,
        value_labels=value_labels,
        variable_labels=variable_labels,
        path=str(path),
    )
    if sha256_file(path) != checksum:  # pragma: no cover - would be a bug in a reader
        raise RuntimeError(f"{path} changed while being read")
    return RawSurvey(
        data=data,
        path=path,
        platform="generic",
        file_format=fmt,
        encoding=encoding,
        sha256=checksum,
        questions=dict(variable_labels),
        value_labels=value_labels,
    )


def read_spss(path: str | Path) -> RawSurvey:
    """Read an SPSS ``.sav``: codes as numbers, value labels in ``.value_labels``.

    Variable labels (the question wording) go into ``.questions``; SPSS
    user-missing values are read as missing, as SPSS treats them.
    """
    if sniff_format(path) != "sav":
        raise InputError("not an SPSS .sav file", file=path)
    return read_file(path)


def read_stata(path: str | Path) -> RawSurvey:
    """Read a Stata ``.dta``: codes as numbers, value labels in ``.value_labels``."""
    if sniff_format(path) != "dta":
        raise InputError("not a Stata .dta file", file=path)
    return read_file(path)


def _sniff_delimiter(text: str) -> str:
    """The delimiter among comma, tab, semicolon that splits the first lines most consistently."""
    lines = text.splitlines()[:20]
    best, best_fields = ",", 1
    for delimiter in (",", "\t", ";"):
        try:
            widths = {len(row) for row in csv.reader(lines, delimiter=delimiter) if row}
        except csv.Error:
            continue
        if len(widths) == 1 and (fields := widths.pop()) > best_fields:
            best, best_fields = delimiter, fields
    if best_fields == 1:  # ragged lines: fall back to the header line's counts
        header = lines[0] if lines else ""
        best = max((",", "\t", ";"), key=header.count)
    return best


def _dedupe_header(names: list[str], path: Path) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            new = f"{name}.{seen[name]}"
            warnings.warn(
                f"{path}: duplicate column name {name!r} renamed {new!r}", ReadWarning, stacklevel=4
            )
            out.append(new)
        else:
            seen[name] = 0
            out.append(name)
    return out


def _read_csv(path: Path, na_values: list[str]) -> tuple[pd.DataFrame, str]:
    text, encoding = decode_text(path.read_bytes(), file=path)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("file has no text (only blanks)", file=path)
    delimiter = _sniff_delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"cannot parse the header line ({exc})", file=path, row=1) from None
    names = _dedupe_header([h.strip("\ufeff") for h in header], path)
    try:
        data = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=0,
            names=names,
            keep_default_na=False,
            na_values=na_values,
            skip_blank_lines=True,
            low_memory=False,
        )
    except pd.errors.ParserError as exc:
        raise InputError(
            f"malformed CSV ({exc})", file=path, hint="check quoting and delimiters"
        ) from None
    except pd.errors.EmptyDataError:
        raise InputError("file has no header line", file=path) from None
    except (ValueError, csv.Error, UnicodeError) as exc:
        raise InputError(f"cannot parse as CSV ({exc})", file=path) from None
    return data, encoding


@functools.lru_cache(maxsize=4)
def _read_xlsx_once(path: Path, sheet: str | int, checksum: str) -> pd.DataFrame:
    """:func:`_read_xlsx`, parsed once per process for the same bytes (``checksum``): a
    notebook that reads the raw export twice (codebook inference, then cleaning) parses
    the workbook once."""
    return _read_xlsx(path, sheet)


def _read_xlsx(path: Path, sheet: str | int) -> pd.DataFrame:
    try:
        data = pd.read_excel(
            path,
            sheet_name=sheet,
            engine="openpyxl",
            header=None,
            na_values=[""],
            keep_default_na=False,
        )
    except (ValueError, KeyError) as exc:
        if "not found" in str(exc) or "Worksheet" in str(exc):
            raise InputError(f"worksheet {sheet!r} not found", file=path) from None
        raise InputError(f"cannot read as an Excel workbook ({exc})", file=path) from None
    except Exception as exc:  # openpyxl/zipfile raise many types on damaged files
        raise InputError(
            f"cannot read as an Excel workbook ({type(exc).__name__}: {exc})",
            file=path,
            hint="the file may be truncated or damaged: export it again",
        ) from None
    _refuse_uncached_formulas(path, sheet)
    data = data.dropna(how="all").dropna(axis=1, how="all")
    if data.empty:
        raise InputError("worksheet is empty", file=path)
    header = ["" if pd.isna(v) else _cell_text(v) for v in data.iloc[0]]
    names = [h if h else f"Unnamed: {i}" for i, h in enumerate(header)]
    data = data.iloc[1:].reset_index(drop=True)
    data.columns = _dedupe_header(names, path)
    return data.infer_objects()


def _refuse_uncached_formulas(path: Path, sheet: str | int) -> None:
    """Formula cells without a saved value would read as empty: name them instead.

    Excel and WPS store each formula's last value beside it; files written by
    other programs (or scripts) often do not, and no Python reader computes
    formulas reliably.  Only workbooks that hold formulas are opened a
    second time.
    """
    import zipfile

    from openpyxl import load_workbook

    with zipfile.ZipFile(path) as archive:
        if not any(
            b"<f" in archive.read(name)
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        ):
            return
    formulas = load_workbook(path, read_only=True, data_only=False)
    values = load_workbook(path, read_only=True, data_only=True)
    try:
        pick = (
            (lambda wb: wb.worksheets[sheet]) if isinstance(sheet, int) else (lambda wb: wb[sheet])
        )
        cells = []
        for frow, vrow in zip(pick(formulas).iter_rows(), pick(values).iter_rows(), strict=False):
            for fcell, vcell in zip(frow, vrow, strict=False):
                if fcell.data_type == "f" and vcell.value is None:
                    cells.append(fcell.coordinate)
    finally:
        formulas.close()
        values.close()
    if cells:
        shown = ", ".join(cells[:10]) + (f" and {len(cells) - 10} more" if len(cells) > 10 else "")
        raise InputError(
            f"{len(cells)} formula cell(s) have no saved value and would read as empty: {shown}",
            file=path,
            hint="open and save it in Excel or WPS so that the values are stored, "
            "or export the data as CSV",
        )


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_readstat(path: Path, fmt: str) -> tuple[pd.DataFrame, dict, dict]:
    import pyreadstat

    reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    try:
        data, meta = reader(str(path), apply_value_formats=False)
    except Exception as exc:  # pyreadstat raises ReadstatError/PyreadstatError and OSError
        raise InputError(
            f"cannot read as {'SPSS' if fmt == 'sav' else 'Stata'} data ({type(exc).__name__}: {exc})",
            file=path,
            hint="the file may be damaged: save it again from SPSS/Stata",
        ) from None
    labels = {col: dict(map_) for col, map_ in (meta.variable_value_labels or {}).items()}
    variable_labels = {c: lab for c, lab in (meta.column_names_to_labels or {}).items() if lab}
    return data, labels, variable_labels
