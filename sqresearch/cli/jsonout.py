"""JSON documents on stdout, as the README's contract says.

``json.dumps(..., ensure_ascii=False, allow_nan=False)`` after NaN and
infinity become ``None`` (null); numpy scalars and arrays become Python
numbers and lists, unrounded; whole-number floats stay floats except where a
caller converts codes (see :func:`code`).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from sqresearch.jsondoc import code, to_jsonable

__all__ = ["code", "dumps", "emit", "to_jsonable"]


def dumps(obj: Any) -> str:
    """Serialise a document under the contract's rules."""
    return json.dumps(to_jsonable(obj), ensure_ascii=False, allow_nan=False, indent=2)


def emit(obj: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(dumps(obj) + "\n")
