"""The values of JSON documents, as the README's contract writes them.

Result objects build their documents (``to_dict()``) with these rules, and
the command line prints them (:mod:`sqresearch.cli.jsonout`): NaN and
infinity become ``None`` (null); numpy scalars and arrays become Python
numbers and lists, unrounded; codes and levels that are whole numbers are
written without ``.0`` (:func:`code`).
"""

from __future__ import annotations

import json
import math
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
    if (
        isinstance(value, (float, np.floating))
        and math.isfinite(value)
        and float(value).is_integer()
    ):
        return int(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def dumps(obj: Any) -> str:
    """Serialise a document under the contract's rules (two-space indent, UTF-8 text).

    Examples
    --------
    >>> print(dumps({"p": float("nan"), "组": 1}))
    {
      "p": null,
      "组": 1
    }
    """
    return json.dumps(to_jsonable(obj), ensure_ascii=False, allow_nan=False, indent=2)
