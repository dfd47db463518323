"""Font sizes of the characters of a PDF as printed (pdfminer.six), for the legibility tests.

pdfminer gives each character's box; the size of an upright character is
its box's height, of one turned a quarter (landscape pages, rotated axis
labels) its box's width.
"""

from __future__ import annotations

from pathlib import Path

#: The smallest text a printed thesis may hold (points).
MIN_PT = 7.0


def char_sizes(pdf: Path) -> list[tuple[int, float, str]]:
    """``(page, size in points, character)`` of every visible character of ``pdf``."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(node):
        if isinstance(node, LTChar):
            yield node
        elif hasattr(node, "__iter__"):
            for child in node:
                yield from chars(child)

    found = []
    for number, page in enumerate(extract_pages(str(pdf)), 1):
        for char in chars(page):
            if not char.get_text().strip():
                continue
            a, b = char.matrix[:2]
            size = char.width if abs(b) > abs(a) else char.height
            found.append((number, size, char.get_text()))
    return found


def too_small(pdf: Path, least: float = MIN_PT) -> list[tuple[int, float, str]]:
    """The characters printed smaller than ``least`` points (a 0.05 pt rounding allowance)."""
    return [c for c in char_sizes(pdf) if c[1] < least - 0.05]
