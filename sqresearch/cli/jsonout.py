"""JSON documents on stdout, as docs/reference/cli.md's contract says.

``json.dumps(..., ensure_ascii=False, allow_nan=False)`` after NaN and
infinity become ``None`` (null); numpy scalars and arrays become Python
numbers and lists, unrounded; whole-number floats stay floats except where a
caller converts codes (see :func:`code`).
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np


def to_jsonable(obj: Any) -> Any:
    """Convert numpy/pandas values recursively; NaN and ±inf become None.

    Examples
    --------
    >>> to_jsonable({"a": np.float64("nan"), "b": [np.int64(2), 1.5]})
    {'a': None, 'b': [2, 1.5]}
    """
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        return None if not math.isfinite(value) else value
    if obj is None or isinstance(obj, (int, str)):
        return obj
    try:  # pandas NA / NaT
        import pandas as pd

        if pd.isna(obj):
            return None
    except (TypeError, ValueError):
        pass
    return str(obj)


def code(value: Any) -> Any:
    """A level or code as the contract writes it: whole numbers without ``.0``.

    Examples
    --------
    >>> code(1.0), code(2.5), code("男")
    (1, 2.5, '男')
    """
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def dumps(obj: Any) -> str:
    """Serialise a document under the contract's rules."""
    return json.dumps(to_jsonable(obj), ensure_ascii=False, allow_nan=False, indent=2)


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
