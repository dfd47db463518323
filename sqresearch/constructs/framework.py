"""Frameworks: constructs bundled with hypotheses, written out as lavaan syntax.

A :class:`Framework` is built from ``frameworks.yaml``.  Its hypotheses are of
four kinds:

``path``
    a structural regression ``lhs ~ rhs`` of the SEM;
``indirect``
    X -> M -> Y: the SEM gets ``M ~ a*X``, ``Y ~ b*M`` and the direct path
    ``Y ~ c*X`` (the partial-mediation model of lavaan's mediation example),
    and the defined parameters ``ind_X_M_Y := a*b`` and ``tot_X_Y := c + a*b``;
``moderation``
    W moderates X -> Y: tested by regression on composite scores with the
    product term (PROCESS model 1), not in the SEM text (no latent
    interactions in semopy);
``regression``
    X -> Y in a hierarchical OLS regression on composite scores, the
    framework's demographic ``controls`` entered in the first step; not in
    the SEM text.

The measurement model (:meth:`Framework.cfa_syntax`) holds every latent
construct of the framework; the SEM (:meth:`Framework.model_syntax`) holds the
constructs its path and indirect hypotheses use.  Reverse-keyed items are
expected to be recoded before either is fitted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sqresearch.constructs.catalogue import LANGS, Catalogue, Checker, pick

KINDS = ("path", "indirect", "moderation", "regression")
_FIELDS = {
    "path": {"lhs", "rhs"},
    "indirect": {"x", "m", "y"},
    "moderation": {"lhs", "rhs", "w"},
    "regression": {"lhs", "rhs"},
}


@dataclass(frozen=True)
class Hypothesis:
    """One hypothesis H1...Hn.

    ``lhs`` is the outcome and ``rhs`` the predictor; an indirect hypothesis
    X -> M -> Y has ``rhs`` = X, ``m`` = M, ``lhs`` = Y (also readable as
    ``x``, ``m``, ``y``); a moderation hypothesis has the moderator in ``w``.
    ``sign`` is the expected sign, +1 or -1.
    """

    id: str
    kind: str
    lhs: str
    rhs: str
    sign: int
    text_zh: str
    text_en: str
    m: str | None = None
    w: str | None = None

    @property
    def x(self) -> str:
        """The predictor (same as ``rhs``)."""
        return self.rhs

    @property
    def y(self) -> str:
        """The outcome (same as ``lhs``)."""
        return self.lhs

    def text(self, lang: str = "zh") -> str:
        """The hypothesis sentence in ``lang``."""
        return pick(self.text_zh, self.text_en, lang)

    @property
    def path(self) -> str:
        """The hypothesis as arrows: ``CVA → SOB``, ``CVA → SOB → LOY``, ``NBL × CVA → SOB``.

        Examples
        --------
        >>> Hypothesis("H1", "indirect", "LOY", "CVA", 1, "…", "…", m="SOB").path
        'CVA → SOB → LOY'
        """
        if self.kind == "indirect":
            return f"{self.rhs} → {self.m} → {self.lhs}"
        if self.kind == "moderation":
            return f"{self.w} × {self.rhs} → {self.lhs}"
        return f"{self.rhs} → {self.lhs}"

    @property
    def constructs(self) -> list[str]:
        """Codes of the constructs the hypothesis involves."""
        return [c for c in (self.rhs, self.m, self.w, self.lhs) if c is not None]


@dataclass(frozen=True)
class Framework:
    """Constructs, hypotheses and controls of one research model.

    Examples
    --------
    >>> from sqresearch.constructs import get_framework
    >>> fw = get_framework("tea_brand_community")
    >>> fw.hypotheses[0].path
    'CVA → SOB'
    >>> print(fw.structural_syntax().splitlines()[0])
    SOB ~ a1*CVA + a2*IRI + a3*CEX
    """

    name: str
    title_zh: str
    title_en: str
    source: str
    constructs: list[str]
    hypotheses: list[Hypothesis]
    controls: list[str]
    catalogue: Catalogue = field(repr=False, compare=False)

    def title(self, lang: str = "zh") -> str:
        """The framework's title in ``lang``."""
        return pick(self.title_zh, self.title_en, lang)

    # -- items ----------------------------------------------------------

    def items(self) -> dict[str, str]:
        """``{item code: construct code}`` for every construct, in framework order."""
        return {
            item.code: code
            for code in self.constructs
            for item in self.catalogue.constructs[code].items
        }

    def latent(self) -> list[str]:
        """Codes of the framework's latent constructs."""
        return [c for c in self.constructs if self.catalogue.constructs[c].kind == "latent"]

    def blocks(self) -> dict[str, list[str]]:
        """``{latent construct: [item codes]}``: the measurement blocks."""
        return {c: self.catalogue.constructs[c].item_codes for c in self.latent()}

    def reverse_items(self) -> list[str]:
        """Codes of the reverse-keyed items (to recode as points + 1 - x)."""
        return [
            item.code
            for code in self.constructs
            for item in self.catalogue.constructs[code].items
            if item.reverse
        ]

    # -- lavaan syntax --------------------------------------------------

    def sem_constructs(self) -> list[str]:
        """Constructs of the structural model (path and indirect hypotheses), in framework order."""
        used = {c for lhs, rhs in self._edges() for c in (lhs, rhs)}
        return [c for c in self.constructs if c in used]

    def measurement_syntax(self, constructs: list[str] | None = None) -> str:
        """``=~`` lines, one per latent construct (default: all of the framework's).

        Examples
        --------
        >>> from sqresearch.constructs import get_framework
        >>> print(get_framework("tea_brand_factors").measurement_syntax(["BRD"]))
        BRD =~ BRD1 + BRD2 + BRD3 + BRD4
        """
        codes = self.latent() if constructs is None else constructs
        lines = []
        for code in codes:
            construct = self.catalogue.constructs[code]
            if construct.kind == "latent":
                lines.append(f"{code} =~ {' + '.join(construct.item_codes)}")
        return "\n".join(lines)

    def structural_syntax(self) -> str:
        """Labelled ``~`` lines of the path and indirect hypotheses, then their ``:=`` lines."""
        return "\n".join(self._regression_lines() + self._defined_lines())

    def cfa_syntax(self) -> str:
        """The measurement model of every latent construct (for CFA), lavaan-commented."""
        return f"# 1. latent variables\n{self.measurement_syntax()}\n"

    def model_syntax(self) -> str:
        """The SEM: latent variables, regressions and defined parameters in numbered blocks.

        Falls back to :meth:`cfa_syntax` when no hypothesis is a path or indirect one.
        """
        regressions = self._regression_lines()
        if not regressions:
            return self.cfa_syntax()
        blocks = [
            ("latent variables", self.measurement_syntax(self.sem_constructs())),
            ("regressions", "\n".join(regressions)),
            ("defined parameters", "\n".join(self._defined_lines())),
        ]
        blocks = [(title, body) for title, body in blocks if body]
        return "\n".join(f"# {i}. {title}\n{body}\n" for i, (title, body) in enumerate(blocks, 1))

    def hypothesis_parameters(self) -> dict[str, str | None]:
        """``{id: lavaan label or defined name}`` testing each hypothesis (None outside the SEM)."""
        labels = self._labels()
        out: dict[str, str | None] = {}
        for h in self.hypotheses:
            if h.kind == "path":
                out[h.id] = labels[(h.lhs, h.rhs)]
            elif h.kind == "indirect":
                out[h.id] = f"ind_{h.x}_{h.m}_{h.y}"
            else:
                out[h.id] = None
        return out

    def hypotheses_table(self, lang: str = "zh") -> pd.DataFrame:
        """The hypotheses as a table: id, kind, path, expected sign, parameter, sentence.

        Examples
        --------
        >>> from sqresearch.constructs import get_framework
        >>> get_framework("tea_brand_factors").hypotheses_table("en").loc[0, ["id", "path", "sign"]].tolist()
        ['H1', 'BRD → PIN', '+']
        """
        params = self.hypothesis_parameters()
        return pd.DataFrame(
            {
                "id": [h.id for h in self.hypotheses],
                "kind": [h.kind for h in self.hypotheses],
                "path": [h.path for h in self.hypotheses],
                "sign": ["+" if h.sign > 0 else "−" for h in self.hypotheses],
                "parameter": [params[h.id] for h in self.hypotheses],
                "hypothesis": [h.text(lang) for h in self.hypotheses],
            }
        )

    def _repr_html_(self) -> str:
        return f"<p><b>{self.name}</b>: {self.title_zh} / {self.title_en}</p>" + (
            self.hypotheses_table("zh").to_html(index=False)
        )

    def _edges(self) -> list[tuple[str, str]]:
        """Structural regressions (lhs, rhs) in the order hypotheses introduce them."""
        edges: dict[tuple[str, str], None] = {}
        for h in self.hypotheses:
            if h.kind == "path":
                edges[(h.lhs, h.rhs)] = None
            elif h.kind == "indirect":
                for edge in ((h.m, h.x), (h.y, h.m), (h.y, h.x)):
                    edges[edge] = None
        return list(edges)

    def _labels(self) -> dict[tuple[str, str], str]:
        """Label each edge: a (X -> M), b (M -> Y), d (M -> M), c (direct X -> Y of a
        mediation), p (any other path); numbered in order of appearance."""
        mediators = {h.m for h in self.hypotheses if h.kind == "indirect"}
        direct = {(h.y, h.x) for h in self.hypotheses if h.kind == "indirect"}
        counts: dict[str, int] = {}
        labels = {}
        for lhs, rhs in self._edges():
            if lhs in mediators and rhs in mediators:
                letter = "d"
            elif lhs in mediators:
                letter = "a"
            elif rhs in mediators:
                letter = "b"
            elif (lhs, rhs) in direct:
                letter = "c"
            else:
                letter = "p"
            counts[letter] = counts.get(letter, 0) + 1
            labels[(lhs, rhs)] = f"{letter}{counts[letter]}"
        return labels

    def _regression_lines(self) -> list[str]:
        labels = self._labels()
        by_lhs: dict[str, list[str]] = {}
        for (lhs, rhs), label in labels.items():
            by_lhs.setdefault(lhs, []).append(f"{label}*{rhs}")
        return [f"{lhs} ~ {' + '.join(terms)}" for lhs, terms in by_lhs.items()]

    def _defined_lines(self) -> list[str]:
        labels = self._labels()
        indirect: dict[tuple[str, str], list[str]] = {}
        lines = []
        for h in self.hypotheses:
            if h.kind != "indirect":
                continue
            product = f"{labels[(h.m, h.x)]}*{labels[(h.y, h.m)]}"
            lines.append(f"ind_{h.x}_{h.m}_{h.y} := {product}")
            indirect.setdefault((h.x, h.y), []).append(product)
        for (x, y), products in indirect.items():
            lines.append(f"tot_{x}_{y} := {' + '.join([labels[(y, x)], *products])}")
        return lines


def parse_frameworks(data: dict, file: Path, catalogue: Catalogue) -> dict[str, Framework]:
    """Build and validate the frameworks of ``frameworks.yaml`` against ``catalogue``."""
    check = Checker(file)
    frameworks: dict[str, Framework] = {}
    for i, entry in enumerate(check.entries(data, "frameworks")):
        where = f"framework #{i + 1}"
        check.fields(
            entry, where,
            {"name", "title_zh", "title_en", "source", "constructs", "controls", "hypotheses"},
        )  # fmt: skip
        name = entry["name"]
        if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_]*$", name):
            check.fail(where, "name must be lower_snake_case", value=name)
        if name in frameworks:
            check.fail(f"framework {name!r}", f"duplicate framework name {name!r}", value=name)
        where = f"framework {name!r}"
        title_zh, title_en = check.pair(entry, "title", where)
        source = check.text(entry, "source", where)
        constructs = _codes(check, entry, "constructs", where, catalogue.constructs, "construct")
        controls = _codes(
            check, entry, "controls", where, catalogue.demographics, "demographic", empty=True
        )
        hypotheses = _hypotheses(check, entry, where, constructs)
        frameworks[name] = Framework(
            name, title_zh, title_en, source, constructs, hypotheses, controls, catalogue
        )
    return frameworks


def _codes(check, entry, key, where, known, what, empty=False) -> list[str]:
    codes = entry[key]
    if not isinstance(codes, list) or (not codes and not empty):
        check.fail(where, f"{key} must be a list of {what} codes", value=codes)
    for code in codes:
        if code not in known:
            check.fail(where, f"unknown {what} {code!r} in {key}", value=code,
                       hint=f"known: {', '.join(known)}")  # fmt: skip
    if len(set(codes)) != len(codes):
        check.fail(where, f"{key} lists a code twice", value=codes)
    return list(codes)


def _hypotheses(check, entry, where, constructs) -> list[Hypothesis]:
    raw = entry["hypotheses"]
    if not isinstance(raw, list) or not raw:
        check.fail(where, "hypotheses must be a non-empty list")
    out, paths = [], set()
    for i, h in enumerate(raw, 1):
        h_where = f"{where} hypothesis #{i}"
        kind = h.get("kind") if isinstance(h, dict) else None
        if kind not in KINDS:
            check.fail(h_where, f"kind must be one of {', '.join(KINDS)}", value=kind)
        texts = {f"text_{lang}" for lang in LANGS}
        check.fields(h, h_where, {"id", "kind", "sign"} | texts | _FIELDS[kind])
        if h["id"] != f"H{i}":
            check.fail(
                h_where, f"id must be 'H{i}' (hypotheses are numbered in order)", value=h["id"]
            )
        h_where = f"{where} {h['id']}"
        for key in sorted(_FIELDS[kind]):
            if h[key] not in constructs:
                check.fail(h_where, f"unknown construct {h[key]!r} in {key}", value=h[key],
                           hint="hypotheses may use only the framework's constructs")  # fmt: skip
        if h["sign"] not in (1, -1) or isinstance(h["sign"], bool):
            check.fail(h_where, "sign must be 1 or -1", value=h["sign"])
        if kind == "indirect":
            lhs, rhs = h["y"], h["x"]
        else:
            lhs, rhs = h["lhs"], h["rhs"]
        names = [lhs, rhs, h.get("m"), h.get("w")]
        names = [n for n in names if n is not None]
        if len(set(names)) != len(names):
            check.fail(h_where, "a construct appears twice in one hypothesis", value=names)
        if kind == "path":
            if (lhs, rhs) in paths:
                check.fail(h_where, f"path {rhs} → {lhs} is hypothesised twice")
            paths.add((lhs, rhs))
        zh, en = check.pair(h, "text", h_where)
        out.append(Hypothesis(h["id"], kind, lhs, rhs, h["sign"], zh, en, h.get("m"), h.get("w")))
    return out
