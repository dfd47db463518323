"""A PLS path model read from lavaan-like syntax: blocks, modes and paths.

``f =~ x1 + x2`` is a reflective block (mode A; a common factor under
consistent PLS), ``f <~ x1 + x2`` a formative block (mode B composite), and
``y ~ f + g`` the structural paths, as in lavaan and SmartPLS.  An observed
variable used in ``~`` without a block of its own becomes a single-item
construct of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sqresearch.errors import ModelError
from sqresearch.sem.syntax import parse_model

MODES = ("A", "B")


@dataclass(frozen=True)
class PLSModel:
    """The blocks and paths of a PLS path model.

    Attributes
    ----------
    constructs : list of str
        In order of first mention.
    blocks : dict of str to list of str
        Indicators of each construct, in the model's order.
    modes : dict of str to str
        ``"A"`` (``=~``, correlation weights) or ``"B"`` (``<~``, regression weights).
    reflective : dict of str to bool
        True for ``=~`` blocks: common factors, corrected under consistent PLS.
    paths : list of (str, str)
        ``(from, to)`` structural paths in the model's order.
    """

    constructs: list[str]
    blocks: dict[str, list[str]]
    modes: dict[str, str]
    reflective: dict[str, bool]
    paths: list[tuple[str, str]]

    @property
    def indicators(self) -> list[str]:
        """All indicators, block after block."""
        return [i for c in self.constructs for i in self.blocks[c]]

    @property
    def endogenous(self) -> list[str]:
        """Constructs with an incoming path, in construct order."""
        targets = {t for _, t in self.paths}
        return [c for c in self.constructs if c in targets]

    def predecessors(self, construct: str) -> list[str]:
        """Direct antecedents of ``construct`` in the model's order of paths."""
        return [s for s, t in self.paths if t == construct]

    def adjacency(self) -> np.ndarray:
        """``P[i, j] = 1`` when construct i points to construct j."""
        index = {c: k for k, c in enumerate(self.constructs)}
        p = np.zeros((len(self.constructs), len(self.constructs)))
        for s, t in self.paths:
            p[index[s], index[t]] = 1.0
        return p

    def positions(self) -> dict[str, np.ndarray]:
        """Positions of each construct's indicators in :attr:`indicators`."""
        out, start = {}, 0
        for c in self.constructs:
            out[c] = np.arange(start, start + len(self.blocks[c]))
            start += len(self.blocks[c])
        return out

    def membership(self) -> np.ndarray:
        """``M[i, j] = 1`` when indicator i belongs to construct j (indicators block after block)."""
        m = np.zeros((len(self.indicators), len(self.constructs)))
        row = 0
        for j, c in enumerate(self.constructs):
            for _ in self.blocks[c]:
                m[row, j] = 1.0
                row += 1
        return m


def _check_acyclic(constructs: list[str], paths: list[tuple[str, str]]) -> None:
    remaining = set(constructs)
    edges = set(paths)
    while remaining:
        sources = {c for c in remaining if not any(t == c and s in remaining for s, t in edges)}
        if not sources:
            raise ModelError(
                f"the structural model has a feedback loop among {sorted(remaining)}; "
                "PLS path models must be recursive"
            )
        remaining -= sources


def pls_model(text: str) -> PLSModel:
    """Read a PLS path model from lavaan-like syntax.

    Parameters
    ----------
    text : str
        ``=~`` reflective blocks, ``<~`` formative blocks and ``~`` paths;
        comments as in lavaan.  Modifiers (labels, fixed values), ``~~`` and
        ``:=`` have no meaning in PLS and are refused (every specific
        indirect effect is reported anyway).

    Returns
    -------
    PLSModel

    Raises
    ------
    ModelError
        On an unsupported operator, a construct without paths, an indicator
        in two blocks, or a feedback loop.

    Examples
    --------
    >>> m = pls_model('''
    ... Image =~ IMAG1 + IMAG2
    ... Value <~ PERV1 + PERV2
    ... Value ~ Image
    ... Loyalty ~ Value + Image + CUSCO
    ... ''')
    >>> m.constructs, m.modes["Value"], m.blocks["CUSCO"]
    (['Image', 'Value', 'Loyalty', 'CUSCO'], 'B', ['CUSCO'])
    """
    parsed = parse_model(text, composites=True)
    if parsed.definitions:
        raise ModelError(
            f"':=' ({parsed.definitions[0].name}) is not used in PLS: every specific indirect "
            "effect is estimated and bootstrapped without definitions"
        )
    blocks: dict[str, list[str]] = {}
    modes: dict[str, str] = {}
    paths: list[tuple[str, str]] = []
    for s in parsed.statements:
        text_of = f"{s.lhs} {s.op} {s.rhs}"
        if s.modifiers:
            raise ModelError(f"labels and fixed values have no meaning in PLS: {text_of!r}")
        if s.op in ("=~", "<~"):
            mode = "A" if s.op == "=~" else "B"
            if modes.setdefault(s.lhs, mode) != mode:
                raise ModelError(f"construct {s.lhs!r} is defined with both =~ and <~")
            blocks.setdefault(s.lhs, [])
            if s.rhs not in blocks[s.lhs]:
                blocks[s.lhs].append(s.rhs)
        elif s.op == "~":
            if (s.rhs, s.lhs) not in paths:
                paths.append((s.rhs, s.lhs))
        else:
            raise ModelError(
                f"{s.op!r} is not used in PLS path models: {text_of!r} (use =~, <~, ~)"
            )
    if not paths:
        raise ModelError("the model has no structural paths ('y ~ x'); PLS needs at least one")
    mentioned = list(dict.fromkeys([*blocks, *(c for p in paths for c in (p[1], p[0]))]))
    owner: dict[str, str] = {}
    for c, items in blocks.items():
        for item in items:
            if item in blocks:
                raise ModelError(
                    f"{item!r} is a construct and an indicator of {c!r}: higher-order PLS models "
                    "are not supported (use the two-stage approach)"
                )
            if item in owner:
                raise ModelError(f"indicator {item!r} is in two blocks: {owner[item]!r} and {c!r}")
            owner[item] = c
    for c in mentioned:
        if c not in blocks:
            if c in owner:
                raise ModelError(
                    f"{c!r} is an indicator of {owner[c]!r} and also a variable in a path; "
                    "paths join constructs"
                )
            blocks[c], modes[c] = [c], "A"  # a single-item construct
    unused = [c for c in blocks if c not in {x for p in paths for x in p}]
    if unused:
        raise ModelError(f"construct(s) {unused} have no structural path; add them to a '~' line")
    _check_acyclic(mentioned, paths)
    return PLSModel(
        constructs=mentioned,
        blocks={c: blocks[c] for c in mentioned},
        modes={c: modes[c] for c in mentioned},
        reflective={c: modes[c] == "A" for c in mentioned},
        paths=paths,
    )
