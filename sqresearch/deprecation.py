"""Old keyword spellings that still work, with a warning naming the new one.

The API speaks one vocabulary: ``level`` for a confidence level, ``n_boot``
for bootstrap resamples, ``seed``, ``lang``. Functions that used other
spellings (``conf``, ``confidence``, ``boot``) accept them through
:func:`renamed`, which passes the value on under the new name and warns
with a :class:`DeprecationWarning` (Python shows it once per calling line).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any


def renamed(**names: str) -> Callable:
    """Decorator: accept ``old=`` keywords for ``new=`` ones, with a DeprecationWarning.

    Parameters
    ----------
    **names
        ``old="new"`` pairs.

    Examples
    --------
    >>> @renamed(conf="level")
    ... def interval(*, level=0.95):
    ...     return level
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     interval(conf=0.9)
    0.9
    >>> str(caught[0].message)
    "interval(): the keyword 'conf' is deprecated; use 'level' (conf=0.9 -> level=0.9)"
    """

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in names.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise TypeError(f"{func.__name__}() got both {old!r} and {new!r}; use {new!r}")
                value = kwargs.pop(old)
                warnings.warn(
                    f"{func.__name__}(): the keyword {old!r} is deprecated; use {new!r} "
                    f"({old}={value!r} -> {new}={value!r})",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[new] = value
            return func(*args, **kwargs)

        return wrapper

    return decorate


def renamed_attribute(old: str, new: str) -> property:
    """A read-only alias of a result attribute under its old name, with a DeprecationWarning.

    Examples
    --------
    >>> class Result:
    ...     level = 0.95
    ...     conf = renamed_attribute("conf", "level")
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     Result().conf
    0.95
    """

    def get(self: Any) -> Any:
        warnings.warn(
            f"{type(self).__name__}.{old} is deprecated; use .{new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(self, new)

    return property(get, doc=f"Deprecated alias of ``{new}``.")
