"""What every data command does with its input before the analysis, the same way.

- :func:`read_data`: read the file and name its rows by respondent id, else
  by 1-based data row (so every message names rows alike);
- :func:`add_points_option` / :func:`check_points`: ``--points K`` checks
  every answer used against the 1..K scale (whole numbers for items);
- :func:`refuse_existing`: ``--out`` never overwrites a file without ``--force``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sqresearch.errors import InputError, located_in
from sqresearch.io import read_table
from sqresearch.io.values import label_rows, to_numbers
from sqresearch.measure.items import check_answer_range


def read_data(path: str | Path) -> pd.DataFrame:
    """The data file as a DataFrame indexed by respondent id (or 1-based row)."""
    return label_rows(read_table(path))


def add_points_option(parser: argparse.ArgumentParser, *, what: str = "item") -> None:
    """``--points K``: the number of answer categories the columns used are checked against."""
    parser.add_argument(
        "--points",
        type=int,
        default=None,
        metavar="K",
        help=f"answer categories of the Likert scale: every {what} value must lie in 1..K "
        "(whole numbers for items); out-of-range answers are refused",
    )


def check_points(
    data: pd.DataFrame,
    columns: Sequence[str],
    points: int | None,
    *,
    whole: bool = True,
    file: str | Path | None = None,
) -> None:
    """Raise :class:`InputError` at the first value of ``columns`` outside 1..points.

    Parameters
    ----------
    data : DataFrame
    columns : sequence of str
        Columns present in ``data`` (absent ones are left to the analysis' own message).
    points : int or None
        Number of answer categories; None checks nothing beyond numbers.
    whole : bool
        Items hold whole numbers; scale scores (means of items) need not.

    Examples
    --------
    >>> d = pd.DataFrame({"A1": [1, 5, 8]}, index=pd.Index([101, 102, 103], name="序号"))
    >>> check_points(d, ["A1"], 5)
    Traceback (most recent call last):
    ...
    sqresearch.errors.InputError: column 'A1', row 103, value 8.0: answer outside the 1-5 scale (check the number of answer categories)
    """
    if points is None:
        return
    if points < 2:
        raise InputError("--points must be at least 2", value=points)
    present = [c for c in dict.fromkeys(columns) if c in data.columns]
    with located_in(file):
        frame = pd.DataFrame({c: to_numbers(data[c]) for c in present}, index=data.index)
        check_answer_range(frame, points, whole=whole)


def refuse_existing(path: Path | None, force: bool) -> None:
    """An existing ``--out`` file is an error unless ``--force`` is given."""
    if path is None:
        return
    if path.is_dir():
        raise InputError("is a folder; --out needs a file name", file=path)
    if path.exists() and not force:
        raise InputError(
            "file exists; not overwritten", file=path, hint="pass --force or choose another --out"
        )
