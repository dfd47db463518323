"""The values of JSON documents, as the README's contract writes them.

Result objects build their documents (``to_dict()``) with these rules, and
the command line prints them (:mod:`sqresearch.cli.jsonout`): NaN and
infinity become ``None`` (null); numpy scalars and arrays become Python
numbers and lists, unrounded; codes and levels that are whole numbers are
written without ``.0`` (:func:`code`).  Every result carries the warnings
its analysis raised in ``warnings`` (:func:`carries_warnings`).
"""

from __future__ import annotations

import functools
import html
import json
import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np

R = TypeVar("R")


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


#: Warning categories about the libraries rather than the analysis: passed on, not recorded.
NOT_ANALYSIS = (
    DeprecationWarning,
    PendingDeprecationWarning,
    FutureWarning,
    ImportWarning,
    ResourceWarning,
)


@contextmanager
def recorded_warnings() -> Iterator[list[str]]:
    r"""Record the analysis warnings raised inside the block as one-line texts (each once).

    When the block ends the list is filled and every warning is raised on
    to the caller as it came (an analysis warning once), so a notebook still
    shows it; warnings about the libraries (:data:`NOT_ANALYSIS`) are passed
    on without being recorded.

    Examples
    --------
    >>> with warnings.catch_warnings(record=True) as shown:
    ...     warnings.simplefilter("always")
    ...     with recorded_warnings() as caught:
    ...         warnings.warn("W is constant:\n  no slopes", UserWarning)
    ...         warnings.warn("W is constant:\n  no slopes", UserWarning)
    >>> caught, len(shown)
    (['W is constant: no slopes'], 1)
    """
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        yield messages
    for record in records:
        if not issubclass(record.category, NOT_ANALYSIS):
            text = " ".join(str(record.message).split())
            if text in messages:
                continue
            messages.append(text)
        warnings.warn_explicit(record.message, record.category, record.filename, record.lineno)


def carries_warnings(analysis: Callable[..., R]) -> Callable[..., R]:
    """Decorate an analysis so that its result's ``warnings`` hold every warning it raised.

    The warnings raised while it ran (where the analysis, or a function it
    called, detected the condition) in the order raised, then those of the
    result's own ``warnings`` not raised, each once, as one-line texts; the
    warnings are still raised to the caller (:func:`recorded_warnings`).  The result's
    ``to_dict()`` writes them as the JSON document's ``warnings``.

    Examples
    --------
    >>> class Result:
    ...     warnings = ["own note"]
    >>> @carries_warnings
    ... def analysis():
    ...     warnings.warn("raised note", UserWarning)
    ...     return Result()
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     analysis().warnings
    ['raised note', 'own note']
    """

    @functools.wraps(analysis)
    def run(*args: Any, **kwargs: Any) -> R:
        with recorded_warnings() as caught:
            result = analysis(*args, **kwargs)
        # object.__setattr__: results may be frozen dataclasses
        object.__setattr__(result, "warnings", merge_warnings(caught, getattr(result, "warnings", ())))
        return result

    return run


def warnings_html(messages: Any) -> str:
    """A result's ``warnings`` as an HTML list for its ``_repr_html_`` (empty text when none).

    Examples
    --------
    >>> warnings_html(["x < 1"]), warnings_html([])
    ('<ul class="sq-warnings"><li>x &lt; 1</li></ul>', '')
    """
    items = "".join(f"<li>{html.escape(str(m))}</li>" for m in messages or ())
    return f'<ul class="sq-warnings">{items}</ul>' if items else ""
