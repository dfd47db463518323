"""Frameworks: constructs bundled with hypotheses, written out as lavaan syntax.

A :class:`Framework` is a study's research model: its constructs (with the
:class:`~sqresearch.constructs.catalogue.Catalogue` that defines them), the
demographics it fields, its controls, grouping variables and hypotheses.  The
shipped frameworks of ``frameworks.yaml`` are templates; a study's own
``instrument.yaml`` (:mod:`sqresearch.constructs.instrument`) builds its
framework the same way.  Hypotheses are of six kinds:

``path``
    a structural regression ``lhs ~ rhs`` of the SEM;
``indirect``
    X -> M -> Y: the SEM gets ``M ~ a*X``, ``Y ~ b*M`` and the direct path
    ``Y ~ c*X`` (the partial-mediation model of lavaan's mediation example),
    and the defined parameters ``ind_X_M_Y := a*b`` and ``tot_X_Y := c + a*b``.
    Several mediators ``m: [M1, M2]`` are parallel (each ``ind_X_Mi_Y``, and
    their sum ``tind_X_Y``, which the hypothesis tests) or, with
    ``serial: true``, serial as PROCESS model 6 (every ``Mi -> Mj`` with i < j;
    the hypothesis tests the chain ``ind_X_M1_M2_Y``);
``moderation``
    W moderates X -> Y: tested by regression on composite scores with the
    product term (PROCESS model 1), not in the SEM text (no latent
    interactions in semopy);
``regression``
    X -> Y in a hierarchical OLS regression on composite scores, the
    framework's demographic ``controls`` entered in the first step; not in
    the SEM text;
``moderated_mediation``
    W moderates the first (``stage: first``, PROCESS model 7) or second
    (``stage: second``, model 14) stage of X -> M -> Y; tested by the index of
    moderated mediation on composite scores;
``difference``
    the scores of construct ``lhs`` differ across the groups of the
    demographic ``by`` (t-test or one-way ANOVA).

The measurement model (:meth:`Framework.cfa_syntax`) holds every latent
construct of the framework; the SEM (:meth:`Framework.model_syntax`) holds the
constructs its path and indirect hypotheses use.  Reverse-keyed items are
expected to be recoded before either is fitted.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sqresearch.constructs.catalogue import LANGS, Catalogue, Checker, pick

KINDS = ("path", "indirect", "moderation", "regression", "moderated_mediation", "difference")
_FIELDS = {
    "path": {"lhs", "rhs"},
    "indirect": {"x", "m", "y"},
    "moderation": {"lhs", "rhs", "w"},
    "regression": {"lhs", "rhs"},
    "moderated_mediation": {"x", "m", "y", "w"},
    "difference": {"construct", "by"},
}
#: Optional fields of a hypothesis, by kind.
_OPTIONAL = {"indirect": {"serial"}, "moderated_mediation": {"stage"}}


@dataclass(frozen=True)
class Hypothesis:
    """One hypothesis H1...Hn.

    ``lhs`` is the outcome and ``rhs`` the predictor; an indirect hypothesis
    X -> M -> Y has ``rhs`` = X, ``m`` = M, ``lhs`` = Y (also readable as
    ``x``, ``m``, ``y``; several mediators make ``m`` a tuple, parallel or
    ``serial``); a moderation hypothesis has the moderator in ``w``; a
    difference hypothesis has the construct in ``lhs`` and the grouping
    demographic in ``by`` (``rhs`` is ``by`` too).  ``sign`` is the expected
    sign, +1 or -1 (0 for a difference: any direction).
    """

    id: str
    kind: str
    lhs: str
    rhs: str
    sign: int
    text_zh: str
    text_en: str
    m: str | tuple[str, ...] | None = None
    w: str | None = None
    serial: bool = False
    stage: str = "first"
    by: str | None = None

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
    def mediators(self) -> tuple[str, ...]:
        """The mediators in order (empty for kinds without one)."""
        if self.m is None:
            return ()
        return (self.m,) if isinstance(self.m, str) else tuple(self.m)

    @property
    def path(self) -> str:
        """The hypothesis as arrows: ``CVA → SOB``, ``CVA → SOB → LOY``, ``NBL × CVA → SOB``.

        Examples
        --------
        >>> Hypothesis("H1", "indirect", "LOY", "CVA", 1, "…", "…", m="SOB").path
        'CVA → SOB → LOY'
        >>> Hypothesis("H2", "indirect", "LOY", "CVA", 1, "…", "…", m=("SOB", "ENG")).path
        'CVA → SOB | ENG → LOY'
        >>> Hypothesis("H3", "difference", "SOB", "GENDER", 0, "…", "…", by="GENDER").path
        'GENDER: SOB'
        """
        joiner = " → " if self.serial else " | "
        if self.kind == "indirect":
            return f"{self.rhs} → {joiner.join(self.mediators)} → {self.lhs}"
        if self.kind == "moderation":
            return f"{self.w} × {self.rhs} → {self.lhs}"
        if self.kind == "moderated_mediation":
            return f"{self.rhs} → {self.m} → {self.lhs} ({self.w})"
        if self.kind == "difference":
            return f"{self.by}: {self.lhs}"
        return f"{self.rhs} → {self.lhs}"

    @property
    def constructs(self) -> list[str]:
        """Codes of the constructs the hypothesis involves (not the grouping demographic)."""
        if self.kind == "difference":
            return [self.lhs]
        return [c for c in (self.rhs, *self.mediators, self.w, self.lhs) if c is not None]


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
    #: Demographic questions fielded, in questionnaire order.
    demographics: list[str] = field(default_factory=list)
    #: Demographics whose groups the difference analysis compares.
    groups: list[str] = field(default_factory=list)
    #: The demographic across which measurement invariance is tested (None: not tested).
    invariance: str | None = None
    #: BibTeX entries the study's own constructs cite (beside the shipped references.bib).
    references: str = ""

    def title(self, lang: str = "zh") -> str:
        """The framework's title in ``lang``."""
        return pick(self.title_zh, self.title_en, lang)

    # -- items ----------------------------------------------------------

    def items(self) -> dict[str, str]:
        """``{item code: construct code}`` for every construct, in framework order."""
        return {
            item.code: code
            for code in self.constructs
            if not self.catalogue.constructs[code].dimensions
            for item in self.catalogue.constructs[code].items
        }

    def higher(self) -> dict[str, list[str]]:
        """``{second-order construct: [its first-order constructs]}``."""
        return {
            c: list(self.catalogue.constructs[c].dimensions)
            for c in self.constructs
            if self.catalogue.constructs[c].dimensions
        }

    def latent(self) -> list[str]:
        """Codes of the framework's latent constructs."""
        return [c for c in self.constructs if self.catalogue.constructs[c].kind == "latent"]

    def blocks(self) -> dict[str, list[str]]:
        """``{latent construct: [item codes]}``: the measurement blocks."""
        return {c: self.catalogue.constructs[c].item_codes for c in self.latent()}

    def score_blocks(self) -> dict[str, list[str]]:
        """``{construct: [item codes]}`` for every construct, single-question ones included
        (what composite scores are computed from)."""
        return {c: self.catalogue.constructs[c].item_codes for c in self.constructs}

    def invariance_constructs(self) -> list[str]:
        """Latent constructs of the invariance test: the SEM's, else all latent ones."""
        latent = self.latent()
        return [c for c in self.sem_constructs() if c in latent] or latent

    def conceptual_edges(self) -> list[tuple[str, str]]:
        """(outcome, predictor) of every hypothesised effect, for the conceptual model:
        the structural paths, regressions, moderations (X -> Y) and moderated mediations."""
        edges = dict.fromkeys(self._edges())
        for h in self.hypotheses:
            if h.kind in ("regression", "moderation"):
                edges[(h.lhs, h.rhs)] = None
            elif h.kind == "moderated_mediation":
                edges[(h.m, h.x)] = None
                edges[(h.y, h.m)] = None
        return list(edges)

    def reverse_items(self) -> list[str]:
        """Codes of the reverse-keyed items (to recode as points + 1 - x)."""
        return [item.code for item, _ in self._items_once() if item.reverse]

    def _items_once(self):
        """(item, construct) of every first-order item, each once."""
        return [
            (item, code)
            for code in self.constructs
            if not self.catalogue.constructs[code].dimensions
            for item in self.catalogue.constructs[code].items
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
        lines: dict[str, str] = {}
        for code in codes:
            construct = self.catalogue.constructs[code]
            for part in (*construct.dimensions, code):  # a second-order one after its dimensions
                item = self.catalogue.constructs[part]
                if item.kind == "latent":
                    lines.setdefault(part, f"{part} =~ {' + '.join(item.item_codes)}")
                elif item.dimensions:
                    lines.setdefault(part, f"{part} =~ {' + '.join(item.dimensions)}")
        return "\n".join(lines.values())

    def pls_syntax(self) -> str:
        """The structural model for PLS-SEM: one block per construct of the structural model
        (a second-order one by its dimensions' items, the repeated-indicator approach), then
        the hypothesised paths, unlabelled (PLS has no ``:=``)."""
        blocks = []
        for code in self.sem_constructs():
            construct = self.catalogue.constructs[code]
            blocks.append(f"{code} =~ {' + '.join(construct.item_codes)}")
        by_lhs: dict[str, list[str]] = {}
        for lhs, rhs in self._edges():
            by_lhs.setdefault(lhs, []).append(rhs)
        paths = [f"{lhs} ~ {' + '.join(rhs)}" for lhs, rhs in by_lhs.items()]
        return "# 1. measurement model\n" + "\n".join(blocks) + "\n# 2. structural model\n" + (
            "\n".join(paths) + "\n"
        )

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
            elif h.kind == "indirect" and len(h.mediators) > 1 and not h.serial:
                out[h.id] = f"tind_{h.x}_{h.y}"
            elif h.kind == "indirect":
                out[h.id] = "ind_" + "_".join((h.x, *h.mediators, h.y))
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
                ms = h.mediators
                for i, m in enumerate(ms):
                    edges[(m, h.x)] = None
                    if h.serial:
                        for earlier in ms[:i]:
                            edges[(m, earlier)] = None
                for m in ms:
                    edges[(h.y, m)] = None
                edges[(h.y, h.x)] = None
        return list(edges)

    def _chains(self, h: Hypothesis) -> list[tuple[str, ...]]:
        """The specific indirect paths of an indirect hypothesis: mediator chains in order."""
        ms = h.mediators
        if not h.serial:
            return [(m,) for m in ms]
        chains = []
        for size in range(1, len(ms) + 1):
            chains += [c for c in itertools.combinations(ms, size)]
        return chains

    def _labels(self) -> dict[tuple[str, str], str]:
        """Label each edge: a (X -> M), b (M -> Y), d (M -> M), c (direct X -> Y of a
        mediation), p (any other path); numbered in order of appearance."""
        mediators = {m for h in self.hypotheses if h.kind == "indirect" for m in h.mediators}
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
        indirect: dict[tuple[str, str], dict[str, str]] = {}
        lines = []
        for h in self.hypotheses:
            if h.kind != "indirect":
                continue
            for chain in self._chains(h):
                nodes = (h.x, *chain, h.y)
                name = "ind_" + "_".join(nodes)
                if name in indirect.get((h.x, h.y), {}):
                    continue
                product = "*".join(labels[(b, a)] for a, b in itertools.pairwise(nodes))
                lines.append(f"{name} := {product}")
                indirect.setdefault((h.x, h.y), {})[name] = product
        for (x, y), products in indirect.items():
            if len(products) > 1:
                lines.append(f"tind_{x}_{y} := {' + '.join(products.values())}")
            lines.append(f"tot_{x}_{y} := {' + '.join([labels[(y, x)], *products.values()])}")
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
            {"demographics", "groups", "invariance"},
        )  # fmt: skip
        name = entry["name"]
        if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_]*$", name):
            check.fail(where, "name must be lower_snake_case", value=name)
        if name in frameworks:
            check.fail(f"framework {name!r}", f"duplicate framework name {name!r}", value=name)
        where = f"framework {name!r}"
        title_zh, title_en = check.pair(entry, "title", where)
        source = check.text(entry, "source", where)
        constructs = codes_of(check, entry, "constructs", where, catalogue.constructs, "construct")
        controls = codes_of(
            check, entry, "controls", where, catalogue.demographics, "demographic", empty=True
        )
        demographics = codes_of(
            check, {"demographics": controls, **entry}, "demographics", where,
            catalogue.demographics, "demographic", empty=True,
        )  # fmt: skip
        groups = codes_of(
            check, {"groups": [], **entry}, "groups", where, demographics, "fielded demographic",
            empty=True,
        )  # fmt: skip
        invariance = entry.get("invariance")
        if invariance is not None and invariance not in demographics:
            check.fail(where, f"invariance names {invariance!r}, not a fielded demographic",
                       value=invariance)  # fmt: skip
        hypotheses = parse_hypotheses(check, entry["hypotheses"], where, constructs, demographics)
        frameworks[name] = Framework(
            name, title_zh, title_en, source, constructs, hypotheses, controls, catalogue,
            demographics, groups, invariance,
        )  # fmt: skip
    return frameworks


def codes_of(check, entry, key, where, known, what, empty=False) -> list[str]:
    """The list ``entry[key]`` of codes, each one of ``known``, none twice."""
    codes = entry[key]
    if not isinstance(codes, list) or (not codes and not empty):
        check.fail(where, f"{key} must be a list of {what} codes", value=codes)
    for code in codes:
        if code not in known:
            check.fail(where, f"unknown {what} {code!r} in {key}", value=code,
                       hint=f"known: {', '.join(known) or 'none'}")  # fmt: skip
    if len(set(codes)) != len(codes):
        check.fail(where, f"{key} lists a code twice", value=codes)
    return list(codes)


def parse_hypotheses(
    check: Checker,
    raw: Any,
    where: str,
    constructs: list[str],
    demographics: list[str],
    *,
    numbered: bool = True,
    texts_required: bool = True,
) -> list[Hypothesis]:
    """Validate a list of hypotheses against the constructs and demographics they may use.

    ``numbered`` requires the ids H1, H2, ... in order (the shipped templates);
    otherwise ids need only be distinct (a student may write H1a, H1b).
    Without ``texts_required`` one of ``text_zh``/``text_en`` is enough (the
    other repeats it).
    """
    if not isinstance(raw, list) or not raw:
        check.fail(where, "hypotheses must be a non-empty list")
    out, paths, ids = [], set(), set()
    for i, h in enumerate(raw, 1):
        h_where = f"{where} hypothesis #{i}"
        kind = h.get("kind") if isinstance(h, dict) else None
        if kind not in KINDS:
            check.fail(h_where, f"kind must be one of {', '.join(KINDS)}", value=kind)
        texts = {f"text_{lang}" for lang in LANGS}
        required = {"id", "kind"} | _FIELDS[kind] | (texts if texts_required else set())
        optional = {"sign"} | _OPTIONAL.get(kind, set()) | (set() if texts_required else texts)
        check.fields(h, h_where, required | ({"sign"} if texts_required else set()), optional)
        hid = h["id"]
        if numbered and hid != f"H{i}":
            check.fail(h_where, f"id must be 'H{i}' (hypotheses are numbered in order)", value=hid)
        if not isinstance(hid, str) or not re.match(r"^[A-Za-z][A-Za-z0-9_.-]*$", hid):
            check.fail(h_where, "id must be a short name such as H1 or H2a", value=hid)
        if hid in ids:
            check.fail(h_where, f"duplicate hypothesis id {hid!r}", value=hid)
        ids.add(hid)
        h_where = f"{where} {hid}"
        for key in sorted(_FIELDS[kind] - {"m", "by"}):
            if h[key] not in constructs:
                check.fail(h_where, f"{key} names {h[key]!r}, which is not a declared construct",
                           value=h[key], hint=f"declared: {', '.join(constructs)}")  # fmt: skip
        mediators: tuple[str, ...] = ()
        if "m" in _FIELDS[kind]:
            m = h["m"]
            mediators = (m,) if isinstance(m, str) else tuple(m) if isinstance(m, list) else ()
            if not mediators or (kind == "moderated_mediation" and len(mediators) != 1):
                check.fail(h_where, "m must name a construct" + (
                    "" if kind == "moderated_mediation" else " or list constructs"), value=m)
            for code in mediators:
                if code not in constructs:
                    check.fail(h_where, f"m names {code!r}, which is not a declared construct",
                               value=code, hint=f"declared: {', '.join(constructs)}")  # fmt: skip
        if kind == "difference" and h["by"] not in demographics:
            check.fail(h_where, f"by names {h['by']!r}, which is not a fielded demographic",
                       value=h["by"], hint=f"fielded: {', '.join(demographics) or 'none'}")  # fmt: skip
        sign = h.get("sign", 0 if kind == "difference" else 1)
        allowed = (0, 1, -1) if kind == "difference" else (1, -1)
        if sign not in allowed or isinstance(sign, bool):
            check.fail(h_where, f"sign must be {' or '.join(map(str, allowed))}", value=sign)
        serial = h.get("serial", False)
        if not isinstance(serial, bool):
            check.fail(h_where, "serial must be true or false", value=serial)
        stage = h.get("stage", "first")
        if stage not in ("first", "second"):
            check.fail(h_where, "stage must be first or second", value=stage)
        if kind in ("indirect", "moderated_mediation"):
            lhs, rhs = h["y"], h["x"]
        elif kind == "difference":
            lhs, rhs = h["construct"], h["by"]
        else:
            lhs, rhs = h["lhs"], h["rhs"]
        names = [lhs, rhs, *mediators, h.get("w")]
        names = [n for n in names if n is not None]
        if len(set(names)) != len(names):
            check.fail(h_where, "a construct appears twice in one hypothesis", value=names)
        if kind in ("path", "regression"):
            if (kind, lhs, rhs) in paths:
                check.fail(h_where, f"{kind} {rhs} → {lhs} is hypothesised twice")
            paths.add((kind, lhs, rhs))
        if texts_required:
            zh, en = check.pair(h, "text", h_where)
        else:
            zh, en = h.get("text_zh"), h.get("text_en")
            if not any(isinstance(t, str) and t.strip() for t in (zh, en)):
                check.fail(h_where, "give the hypothesis in words: text_zh or text_en")
            zh = zh.strip() if isinstance(zh, str) and zh.strip() else en.strip()
            en = en.strip() if isinstance(en, str) and en.strip() else zh
        m_value = None if not mediators else mediators[0] if len(mediators) == 1 else mediators
        out.append(Hypothesis(
            hid, kind, lhs, rhs, sign, zh, en, m_value, h.get("w"), serial, stage,
            h["by"] if kind == "difference" else None,
        ))  # fmt: skip
    return out
