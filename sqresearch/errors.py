"""Exceptions that carry where bad input was found.

Every error a user can cause names the file, column, row and value it is
about, and says what to do.  The command line prints ``str(error)`` as one
line on stderr and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class SqresearchError(Exception):
    """Base class of every error sqresearch raises on purpose."""


class InputError(SqresearchError, ValueError):
    """Bad input data or configuration, located as precisely as known.

    Parameters
    ----------
    message : str
        What is wrong, in plain words.
    file, column, row, value : optional
        Where it was found; each is shown when given.
    hint : str, optional
        What the user should do about it.

    Examples
    --------
    >>> str(InputError("value out of range 1-5", file="raw.csv", column="CVA1", row=7, value=9))
    "raw.csv: column 'CVA1', row 7, value 9: value out of range 1-5"
    """

    def __init__(
        self,
        message: str,
        *,
        file: Any = None,
        column: Any = None,
        row: Any = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.message, self.file, self.column, self.row, self.value, self.hint = (
            message, file, column, row, value, hint,
        )
        where = []
        if column is not None:
            where.append(f"column {column!r}")
        if row is not None:
            where.append(f"row {row}")
        if value is not None:
            where.append(f"value {_plain(value)!r}")
        text = ", ".join(where)
        if file is not None:
            text = f"{file}: {text}" if text else str(file)
        text = f"{text}: {message}" if text else message
        if hint:
            text = f"{text} ({hint})"
        super().__init__(text)

    def with_file(self, file: Any) -> InputError:
        """The same error, located in ``file``."""
        return InputError(
            self.message, file=file, column=self.column, row=self.row, value=self.value, hint=self.hint
        )


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python number it holds (so messages read ``5``, not ``np.int64(5)``).

    Examples
    --------
    >>> import numpy as np
    >>> _plain(np.int64(5)), _plain(np.float64(2.5)), _plain([np.int64(1)]), _plain("是")
    (5, 2.5, [1], '是')
    """
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


@contextmanager
def located_in(file: Any) -> Iterator[None]:
    """Name ``file`` in every :class:`InputError` raised inside the block that names none.

    Examples
    --------
    >>> try:
    ...     with located_in("survey.csv"):
    ...         raise InputError("unknown column", column="CVA9")
    ... except InputError as exc:
    ...     print(exc)
    survey.csv: column 'CVA9': unknown column
    """
    try:
        yield
    except InputError as exc:
        if exc.file is not None:
            raise
        raise exc.with_file(file) from None


class ModelError(SqresearchError, ValueError):
    """A model specification that cannot be parsed, identified or estimated."""
