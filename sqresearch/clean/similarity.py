"""How alike two question wordings are: normalised text and character n-gram TF-IDF.

Wording is compared after :func:`normalize_text`: Unicode NFKC (full-width
letters, digits and punctuation become half-width), every dash (- ‐ – — ―
− －) becomes "-", the question number ("8、", "Q3_1.", "12.") is removed,
punctuation becomes a space, and Latin letters are lower-cased.

:func:`text_similarity` scores every pair of two lists of wordings by the
cosine between their character n-gram TF-IDF vectors (Salton & Buckley,
1988; character n-grams as in Cavnar & Trenkle, 1994): shared characters
and short runs of characters count, weighted by how rare they are among
all the wordings compared, so a paraphrase that keeps the content words
("价格", "划算", "buy", "brand") scores high and the words every item shares
("我", "该品牌", "this") count little.  ``method="ratio"`` is the
:class:`difflib.SequenceMatcher` ratio used before (kept for the benchmark,
``bench/bench_infer.py``, that chose TF-IDF; see ``docs/benchmarks.md``).

References
----------
Cavnar, W. B., & Trenkle, J. M. (1994). N-gram-based text categorization.
*Proceedings of SDAIR-94*, 161–175.

Salton, G., & Buckley, C. (1988). Term-weighting approaches in automatic
text retrieval. *Information Processing & Management, 24*(5), 513–523.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

#: Dashes and minus signs read as "-".
DASHES = "‐‑‒–—―−－﹘﹣"
_DASH_TABLE = str.maketrans({ch: "-" for ch in DASHES})
_NUMBER = re.compile(r"^\s*(?:Q?\d+(?:[_\-.]\d+)?\s*[、.:|]\s*)", re.I)
#: Character n-gram lengths of the TF-IDF vectors (chosen on the benchmark).
NGRAM_RANGE = (1, 2)
METHODS = ("tfidf", "ratio")


def unify_dashes(text: Any) -> str:
    """NFKC text with every dash as "-" (so "41–50岁" and "41-50岁" compare equal).

    Examples
    --------
    >>> unify_dashes("41–50岁"), unify_dashes("１８—２５岁")
    ('41-50岁', '18-25岁')
    """
    return unicodedata.normalize("NFKC", str(text)).translate(_DASH_TABLE)


def normalize_text(text: Any) -> str:
    """Wording as compared: NFKC, dashes unified, no question number, punctuation as spaces, lower case.

    Examples
    --------
    >>> normalize_text("8、我觉得 该社群很有价值。")
    '我觉得 该社群很有价值'
    >>> normalize_text("Q3_1. I value THIS community!")
    'i value this community'
    """
    text = _NUMBER.sub("", unify_dashes(text))
    text = "".join(ch if ch.isalnum() else " " for ch in text.lower())
    return " ".join(text.split())


def text_similarity(
    left: Sequence[str],
    right: Sequence[str],
    *,
    method: str = "tfidf",
    ngram_range: tuple[int, int] = NGRAM_RANGE,
) -> np.ndarray:
    """Similarity (0-1) of every wording in ``left`` to every wording in ``right``.

    Parameters
    ----------
    left, right : sequence of str
        Wordings (normalised here by :func:`normalize_text`).
    method : {"tfidf", "ratio"}
        Cosine of character n-gram TF-IDF vectors (IDF fitted on both
        lists together, sublinear term frequency), or the
        :class:`difflib.SequenceMatcher` ratio.
    ngram_range : (int, int)
        Shortest and longest character n-gram (TF-IDF only).

    Returns
    -------
    ndarray
        ``len(left)`` × ``len(right)``; an empty wording scores 0.

    Examples
    --------
    >>> s = text_similarity(["在社群买茶很划算", "I will keep buying this brand"],
    ...                     ["在这个社群买茶，付出的价格与得到的相比是划算的。", "I will keep buying this brand's tea."])
    >>> bool(s[0, 0] > s[0, 1] and s[1, 1] > s[1, 0])
    True
    """
    if method not in METHODS:
        raise ValueError(f"unknown similarity method {method!r}; one of {', '.join(METHODS)}")
    a = [normalize_text(t) for t in left]
    b = [normalize_text(t) for t in right]
    out = np.zeros((len(a), len(b)))
    if not a or not b:
        return out
    if method == "ratio":
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                if x and y:
                    out[i, j] = difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()
        return out
    corpus = [t for t in a + b if t]
    if not corpus:
        return out
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=ngram_range, sublinear_tf=True, lowercase=False
    )
    vectorizer.fit(corpus)
    va, vb = vectorizer.transform(a), vectorizer.transform(b)
    return np.asarray((va @ vb.T).todense()).clip(0.0, 1.0)
