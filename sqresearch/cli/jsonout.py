"""JSON documents on stdout, as docs/reference/cli.md's contract says.

``json.dumps(..., ensure_ascii=False, allow_nan=False)`` after NaN and
infinity become ``None`` (null); numpy scalars and arrays become Python
numbers and lists, unrounded; whole-number floats stay floats except where a
caller converts codes (see :func:`code`).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqresearch.jsondoc import code, dumps, to_jsonable

__all__ = ["code", "dumps", "emit", "to_jsonable"]


def emit(obj: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(dumps(obj) + "\n")


#: Warning categories about the libraries rather than the analysis: passed on, not captured.
_NOT_ANALYSIS = (
    DeprecationWarning,
    PendingDeprecationWarning,
    FutureWarning,
    ImportWarning,
    ResourceWarning,
)


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    r"""Collect the warnings raised inside the block as one-line texts (each once, in order).

    The list is filled when the block ends; a command puts it into its
    document's ``warnings`` field (or prints it on stderr without ``--json``).

    Examples
    --------
    >>> with captured_warnings() as caught:
    ...     warnings.warn("W is constant:\n  no slopes", UserWarning)
    >>> caught
    ['W is constant: no slopes']
    """
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        yield messages
    passed_on = []
    for record in records:
        if issubclass(record.category, _NOT_ANALYSIS):
            passed_on.append(record)
            continue
        text = " ".join(str(record.message).split())
        if text not in messages:
            messages.append(text)
    for record in passed_on:
        warnings.warn_explicit(record.message, record.category, record.filename, record.lineno)


def merge_warnings(*lists: Any) -> list[str]:
    """The warnings of several sources as one list of one-line texts, without repeats.

    Examples
    --------
    >>> merge_warnings(["a", "b"], ["b", "c  d"])
    ['a', 'b', 'c d']
    """
    out: list[str] = []
    for items in lists:
        for item in items or ():
            text = " ".join(str(item).split())
            if text not in out:
                out.append(text)
    return out


def print_warnings(command: str, messages: list[str]) -> None:
    """Each warning as one line on stderr (the output without ``--json``)."""
    for text in messages:
        sys.stderr.write(f"sqresearch {command}: warning: {text}\n")
