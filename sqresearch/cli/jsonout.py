"""JSON documents on stdout, as docs/reference/cli.md's contract says.

``json.dumps(..., ensure_ascii=False, allow_nan=False)`` after NaN and
infinity become ``None`` (null); numpy scalars and arrays become Python
numbers and lists, unrounded; whole-number floats stay floats except where a
caller converts codes (see :func:`sqresearch.jsondoc.code`).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqresearch.jsondoc import NOT_ANALYSIS, dumps


def emit(
    obj: Any, *, inputs: dict[str, Any] | None = None, outputs: dict[str, Any] | None = None
) -> None:
    """Print one JSON document on stdout: a result's ``to_dict()``.

    The command line's own facts, which the result does not know, go around
    it: ``inputs`` (the files as given on the command line) first, replacing
    a key of the same name, and ``outputs`` (what the command wrote) last.

    Examples
    --------
    >>> emit({"n": 3, "file": "/abs/d.csv"}, inputs={"file": "d.csv"}, outputs={"out": None})
    {
      "file": "d.csv",
      "n": 3,
      "out": null
    }
    """
    inputs, outputs = inputs or {}, outputs or {}
    doc = {**inputs, **{k: v for k, v in obj.items() if k not in inputs}, **outputs}
    sys.stdout.write(dumps(doc) + "\n")


@contextmanager
def warnings_held() -> Iterator[None]:
    r"""Keep the analysis warnings raised inside the block off stderr.

    Results carry them in their ``warnings`` (:func:`sqresearch.jsondoc.carries_warnings`):
    the JSON document's field, or :func:`print_warnings` without ``--json``.
    Warnings about the libraries (:data:`sqresearch.jsondoc.NOT_ANALYSIS`) are passed on.

    Examples
    --------
    >>> with warnings.catch_warnings(record=True) as shown:
    ...     warnings.simplefilter("always")
    ...     with warnings_held():
    ...         warnings.warn("W is constant", UserWarning)
    ...         warnings.warn("old spelling", DeprecationWarning)
    >>> [str(w.message) for w in shown]
    ['old spelling']
    """
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        yield
    for record in records:
        if issubclass(record.category, NOT_ANALYSIS):
            warnings.warn_explicit(record.message, record.category, record.filename, record.lineno)


def print_warnings(command: str, messages: list[str]) -> None:
    """Each warning as one line on stderr (the output without ``--json``)."""
    for text in messages:
        sys.stderr.write(f"sqresearch {command}: warning: {text}\n")
