"""Path diagrams: the structural model and the measurement model, drawn with matplotlib.

Inputs are parameter tables in lavaan's layout (``lhs``, ``op``, ``rhs``,
``std_all``, ``pvalue``), such as ``SEMResult.estimates``.  Coefficients are
the standardised ones, with significance stars; non-significant paths are
dashed.

The structural diagram is laid out by graphviz ``dot`` when the program is
installed (``engine="dot"``; rank direction left to right, splines) and by a
layered layout of our own otherwise (``engine="layers"``: each variable one
column right of its furthest predictor, straight arrows).  With
``engine="auto"`` (the default) a missing or failing ``dot`` is not an
error: the layered layout is used and a one-line :class:`DiagramWarning`
says why, so a build log shows which layout a figure got.  Either way the
drawing itself is matplotlib's, so text is set in the packaged CJK font
(:mod:`sqresearch.report.style`) and graphviz never needs a font: it only
places nodes whose sizes we measure and fix (``fixedsize=true``).

The measurement diagram is a fixed grid: items in a column on the left,
each factor beside its items, factor correlations as arcs on the right.

Examples
--------
>>> import pandas as pd
>>> est = pd.DataFrame({"lhs": ["M", "Y", "Y"], "op": ["~"] * 3, "rhs": ["X", "M", "X"],
...                     "std_all": [0.5, 0.4, 0.1], "pvalue": [0.0001, 0.002, 0.3]})
>>> layered_layout(est)["Y"] > layered_layout(est)["M"] > layered_layout(est)["X"]
True
>>> fig = sem_path_diagram(est, engine="layers", lang="en")
>>> sorted(t.get_text() for t in fig.axes[0].texts)
['0.100', '0.400**', '0.500***', 'M', 'X', 'Y']
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Ellipse, FancyArrowPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextToPath

from sqresearch.errors import InputError
from sqresearch.report.format import fmt_number, stars
from sqresearch.report.labels import check_lang, construct_label, label
from sqresearch.report.style import thesis_style
from sqresearch.thresholds import threshold

FONT_PT = 10.5
_EM = FONT_PT / 72  # inches
_ARROW_IN = 10 / 72  # graphviz's arrowhead length (arrowsize 1), inches
_LINE_IN = 1.3 * _EM  # line height at linespacing 1.3, inches
WRAP_IN = 1.6  # longest line of a variable's name before it wraps, inches
NARROW_WRAP_IN = 1.0  # the same in a path diagram wrapped into rows
#: A path diagram drawn smaller than this (its 9-pt coefficients under 7.65 pt in print)
#: is wrapped into rows when that draws it larger.
LEGIBLE_SCALE = 0.85
_WRAP_GAP_X, _LAYER_GAP_Y, _ROW_GAP_Y = 0.8, 0.45, 0.55  # inches between nodes
_ARC_RAD = 0.3  # bend of a path carried over a node of its row
_LABEL_HALF_IN = 0.12  # half the height of a coefficient label, inches
ENGINES = ("auto", "dot", "layers")


class DiagramWarning(UserWarning):
    """graphviz ``dot`` was missing or failed; the built-in layered layout was used."""


@dataclass
class _Node:
    name: str
    text: str
    x: float
    y: float
    w: float
    h: float
    latent: bool


def _text_width(text: str) -> float:
    """Width of one line in inches, measured in the thesis fonts (CJK glyphs by fallback)."""
    with thesis_style():
        width, _, _ = TextToPath().get_text_width_height_descent(
            text, FontProperties(size=FONT_PT), ismath=False
        )
    return width / 72


def _wrap(text: str, width: float = WRAP_IN) -> str:
    """Break a long one-line name at spaces into lines no wider than ``width`` inches.

    Chinese names have no spaces and stay on one line; a single word longer
    than ``width`` gets a line of its own.

    Examples
    --------
    >>> _wrap("Sense of belonging to the community")
    'Sense of belonging\\nto the community'
    >>> _wrap("社群归属感")
    '社群归属感'
    """
    if "\n" in text or _text_width(text) <= width:
        return text
    words = text.split(" ")
    if len(words) > 1 and _text_width(text) <= 2 * width:  # two lines, as even as possible
        cut = min(
            range(1, len(words)),
            key=lambda i: max(_text_width(" ".join(words[:i])), _text_width(" ".join(words[i:]))),
        )
        return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
    lines: list[str] = []
    for word in words:
        if lines and _text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _node_size(text: str, latent: bool) -> tuple[float, float]:
    """Box (or ellipse) size in inches that holds ``text`` with a margin.

    An ellipse through the corners of a w × h box has axes √2·w and √2·h.
    """
    lines = text.split("\n")
    w = max(_text_width(line) for line in lines) + 0.25
    h = _LINE_IN * len(lines) + 0.16
    return (w * np.sqrt(2), h * np.sqrt(2)) if latent else (w, h)


def _coefficient(row: Mapping) -> str:
    p = row.get("pvalue")
    return fmt_number(row["std_all"], "beta") + (stars(p) if p is not None else "")


def _check(estimates: pd.DataFrame) -> None:
    for col in ("lhs", "op", "rhs", "std_all"):
        if col not in estimates.columns:
            raise InputError("parameter table needs lavaan's columns", column=col)


def layered_layout(estimates: pd.DataFrame) -> dict[str, int]:
    """Column of each variable of the ``~`` paths: 0 for exogenous ones, else one
    more than its furthest predictor.  Raises :class:`InputError` on a cycle."""
    _check(estimates)
    paths = estimates[estimates["op"] == "~"]
    names = list(dict.fromkeys([*paths["rhs"], *paths["lhs"]]))
    preds = {n: list(paths.loc[paths["lhs"] == n, "rhs"]) for n in names}
    rank: dict[str, int] = {}

    def visit(n: str, seen: tuple[str, ...]) -> int:
        if n in seen:
            raise InputError("the structural paths contain a cycle", value=" -> ".join(seen))
        if n not in rank:
            rank[n] = 1 + max((visit(p, (*seen, n)) for p in preds[n]), default=-1)
        return rank[n]

    for n in names:
        visit(n, ())
    return rank


def _layers_positions(
    estimates: pd.DataFrame, sizes: Mapping[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    rank = layered_layout(estimates)
    paths = estimates[estimates["op"] == "~"]
    columns: dict[int, list[str]] = {}
    for n, r in rank.items():
        columns.setdefault(r, []).append(n)
    width = max(w for w, _ in sizes.values())
    pos: dict[str, tuple[float, float]] = {}
    for r in sorted(columns):
        members = columns[r]
        if r > 0:  # order by the mean height of the predictors (barycentre)

            def centre(n: str) -> float:
                ys = [pos[p][1] for p in paths.loc[paths["lhs"] == n, "rhs"] if p in pos]
                return -float(np.mean(ys)) if ys else 0.0

            members = sorted(members, key=centre)
        gap = max(sizes[n][1] for n in members) + 0.45
        top = gap * (len(members) - 1) / 2
        for i, n in enumerate(members):
            pos[n] = (r * (width + 1.2), top - i * gap)
    return pos


def _wrapped_positions(
    estimates: pd.DataFrame, sizes: Mapping[str, tuple[float, float]], per_row: int
) -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], float]]:
    """The layered layout cut into rows of ``per_row`` layers, read as a snake: the first
    row left to right, the next right to left under its end, and so on.

    Returns the node centres and, for a path that skips a layer within a row (it
    would cross the node between), the bend of the arc that carries it over (the
    ``rad`` of matplotlib's ``arc3``, bulging upwards).
    """
    rank = layered_layout(estimates)
    paths = estimates[estimates["op"] == "~"]
    layers: dict[int, list[str]] = {}
    for n, r in sorted(rank.items(), key=lambda item: item[1]):
        layers.setdefault(r, []).append(n)
    pitch = max(w for w, _ in sizes.values()) + _WRAP_GAP_X
    n_rows = -(-len(layers) // per_row)
    heights = [
        max(
            sum(sizes[n][1] for n in layers[r]) + _LAYER_GAP_Y * (len(layers[r]) - 1)
            for r in layers
            if r // per_row == row
        )
        for row in range(n_rows)
    ]
    pos: dict[str, tuple[float, float]] = {}
    top = 0.0
    for row in range(n_rows):
        centre = top - heights[row] / 2
        for r in [r for r in layers if r // per_row == row]:
            col = r % per_row if row % 2 == 0 else per_row - 1 - r % per_row
            members = layers[r]
            block = sum(sizes[n][1] for n in members) + _LAYER_GAP_Y * (len(members) - 1)
            y = centre + block / 2
            for n in members:
                pos[n] = (col * pitch, y - sizes[n][1] / 2)
                y -= sizes[n][1] + _LAYER_GAP_Y
        top -= heights[row] + _ROW_GAP_Y
    bends = {}
    for row in paths.itertuples():
        a, b = rank[row.rhs], rank[row.lhs]
        if a // per_row == b // per_row and abs(b - a) > 1:
            bends[(row.rhs, row.lhs)] = -_ARC_RAD * float(
                np.sign(pos[row.lhs][0] - pos[row.rhs][0])
            )
    return pos, bends


def _wrapped_layout(
    estimates: pd.DataFrame, sizes: Mapping[str, tuple[float, float]]
) -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], float]]:
    """:func:`_wrapped_positions` with the number of layers per row at which the drawing
    goes into the paper at the largest scale."""
    layers = max(layered_layout(estimates).values()) + 1
    options = [_wrapped_positions(estimates, sizes, k) for k in range(1, layers + 1)]
    return max(options, key=lambda option: _fit_scale(option[0], sizes, option[1]))


def _dot_source(
    estimates: pd.DataFrame,
    sizes: Mapping[str, tuple[float, float]],
    ids: Mapping[str, str],
    latent: Sequence[str],
    rankdir: str = "LR",
) -> str:
    lines = [
        "digraph sem {",
        f"  graph [rankdir={rankdir}, nodesep=0.45, ranksep=1.1, splines=spline];",
        '  node [fixedsize=true, label=""];',
    ]
    for name, (w, h) in sizes.items():
        shape = "ellipse" if name in latent else "box"
        lines.append(f"  {ids[name]} [shape={shape}, width={w:.3f}, height={h:.3f}];")
    for row in estimates[estimates["op"] == "~"].itertuples():
        lines.append(f"  {ids[row.rhs]} -> {ids[row.lhs]};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_layout(
    estimates: pd.DataFrame,
    sizes: Mapping[str, tuple[float, float]],
    latent: Sequence[str],
    rankdir: str = "LR",
) -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], np.ndarray]]:
    """Node centres and edge spline control points (inches) from ``dot -Tplain``.

    Left to right; top to bottom (``rankdir="TB"``) when that draws a model too
    wide for the page at a larger scale (its labels then stay legible).
    """
    ids = {name: f"n{i}" for i, name in enumerate(sizes)}
    back = {v: k for k, v in ids.items()}
    out = subprocess.run(
        ["dot", "-Tplain"],
        input=_dot_source(estimates, sizes, ids, latent, rankdir).encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    pos: dict[str, tuple[float, float]] = {}
    splines: dict[tuple[str, str], np.ndarray] = {}
    for line in out.splitlines():
        parts = shlex.split(line)
        if parts and parts[0] == "node":
            pos[back[parts[1]]] = (float(parts[2]), float(parts[3]))
        elif parts and parts[0] == "edge":
            n = int(parts[3])
            pts = np.array(parts[4 : 4 + 2 * n], dtype=float).reshape(n, 2)
            splines[(back[parts[1]], back[parts[2]])] = pts
    return pos, splines


def _fit_scale(
    pos: Mapping[str, tuple[float, float]],
    sizes,
    bends: Mapping[tuple[str, str], float] | None = None,
) -> float:
    """The scale at which a layout (with its arcs) fits :data:`MAX_WIDTH_IN` ×
    :data:`MAX_HEIGHT_IN` (at most 1)."""
    xmin, xmax, ymin, ymax = _extent(pos, sizes, bends or {})
    width, height = xmax - xmin + 0.4, ymax - ymin + 0.4
    return min(1.0, MAX_WIDTH_IN / width, MAX_HEIGHT_IN / height)


def _arc_control(a: np.ndarray, b: np.ndarray, rad: float) -> np.ndarray:
    """Control point of matplotlib's ``arc3`` connection from ``a`` to ``b``."""
    (dx, dy), middle = b - a, (a + b) / 2
    return middle + rad * np.array([dy, -dx])


def _extent(pos, sizes, bends) -> tuple[float, float, float, float]:
    """Bounds (inches) of the nodes and of the labelled peaks of the arcs."""
    xs = [pos[n][0] + d * sizes[n][0] / 2 for n in pos for d in (-1, 1)]
    ys = [pos[n][1] + d * sizes[n][1] / 2 for n in pos for d in (-1, 1)]
    for (src, dst), rad in bends.items():
        peak = _bezier_mid(np.array(pos[src]), np.array(pos[dst]), rad)
        xs.append(float(peak[0]))
        ys.extend([float(peak[1]) - _LABEL_HALF_IN, float(peak[1]) + _LABEL_HALF_IN])
    return min(xs), max(xs), min(ys), max(ys)


def _bezier_mid(a: np.ndarray, b: np.ndarray, rad: float) -> np.ndarray:
    """Middle of the ``arc3`` curve from ``a`` to ``b`` (a quadratic Bézier)."""
    return 0.25 * a + 0.5 * _arc_control(a, b, rad) + 0.25 * b


def _path_layout(
    estimates: pd.DataFrame,
    sizes: Mapping[str, tuple[float, float]],
    latent: Sequence[str],
    engine: str,
) -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], np.ndarray]]:
    """Node centres and edge splines by ``engine``; "auto" falls back from ``dot`` to layers.

    ``engine="dot"`` raises :class:`InputError` when ``dot`` is missing or
    fails; ``engine="auto"`` then warns (:class:`DiagramWarning`, one line)
    and uses the layered layout, whose edges are straight (no splines).
    """
    if engine != "layers":
        problem = None
        if shutil.which("dot") is None:
            problem = "graphviz 'dot' not found"
        else:
            try:
                wide = _dot_layout(estimates, sizes, latent)
                if _fit_scale(wide[0], sizes) >= 1:
                    return wide
                tall = _dot_layout(estimates, sizes, latent, "TB")
                return tall if _fit_scale(tall[0], sizes) > _fit_scale(wide[0], sizes) else wide
            except subprocess.CalledProcessError as exc:
                detail = " ".join(exc.stderr.decode("utf-8", "replace").split())[:200]
                problem = f"graphviz 'dot' failed (exit {exc.returncode}: {detail or 'no message'})"
            except (OSError, subprocess.TimeoutExpired) as exc:
                problem = f"graphviz 'dot' failed ({type(exc).__name__}: {exc})"
        if engine == "dot":
            raise InputError(problem, hint="install graphviz or use engine='layers'")
        warnings.warn(
            f"{problem}; the path diagram uses the built-in layered layout",
            DiagramWarning,
            stacklevel=3,
        )
    return _layers_positions(estimates, sizes), {}


def _bezier_point(pts: np.ndarray, t: float) -> np.ndarray:
    """Point at overall parameter ``t`` of a piecewise cubic Bézier (3k + 1 points)."""
    k = (len(pts) - 1) // 3
    seg = min(int(t * k), k - 1)
    u = t * k - seg
    p0, p1, p2, p3 = pts[3 * seg : 3 * seg + 4]
    return (1 - u) ** 3 * p0 + 3 * (1 - u) ** 2 * u * p1 + 3 * (1 - u) * u**2 * p2 + u**3 * p3


def _draw_node(ax, node: _Node) -> None:
    if node.latent:
        patch = Ellipse((node.x, node.y), node.w, node.h)
    else:
        patch = Rectangle((node.x - node.w / 2, node.y - node.h / 2), node.w, node.h)
    patch.set(facecolor="white", edgecolor="black", linewidth=0.9, zorder=2)
    ax.add_patch(patch)
    ax.text(node.x, node.y, node.text, ha="center", va="center", zorder=3, linespacing=1.3)


def _free_spot(point_at, placed: list[np.ndarray], min_dist: float = 0.45) -> np.ndarray:
    """The first of several points along an edge that keeps clear of labels already placed."""
    candidates = [np.asarray(point_at(t), float) for t in (0.5, 0.4, 0.6, 0.3, 0.7)]
    for c in candidates:
        if all(np.hypot(*(c - q)) >= min_dist for q in placed):
            placed.append(c)
            return c
    placed.append(candidates[0])
    return candidates[0]


def _outline_point(node: _Node, towards: np.ndarray) -> np.ndarray:
    """Where the line from ``node``'s centre towards a point leaves its ellipse or box."""
    centre = np.array([node.x, node.y])
    dx, dy = towards - centre
    a, b = node.w / 2, node.h / 2
    if node.latent:
        reach = 1 / max(np.hypot(dx / a, dy / b), 1e-12)
    else:
        reach = min(a / abs(dx) if dx else np.inf, b / abs(dy) if dy else np.inf)
    return centre + min(reach, 1.0) * np.array([dx, dy])


def _node_arrow(
    src: _Node, dst: _Node, *, scale: float, width: float, linestyle: str = "-"
) -> FancyArrowPatch:
    """A straight arrow between two drawn nodes, from outline to outline.

    The ends are computed here, once: matplotlib's own clipping at the
    patches (``patchA``/``patchB``) searches the outline again at every
    draw, which made saving a diagram of fifty items take seconds.
    """
    a, b = np.array([src.x, src.y]), np.array([dst.x, dst.y])
    return FancyArrowPatch(
        _outline_point(src, b),
        _outline_point(dst, a),
        arrowstyle="-|>",
        mutation_scale=scale,
        linewidth=width,
        linestyle=linestyle,
        color="black",
        zorder=1,
    )


def _label(ax, xy, text: str, size: float = 9) -> None:
    ax.text(
        *xy,
        text,
        ha="center",
        va="center",
        fontsize=size,
        zorder=4,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
    )


def sem_path_diagram(
    estimates: pd.DataFrame,
    r2: Mapping[str, float] | pd.Series | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    latent: Sequence[str] | None = None,
    engine: str = "auto",
    lang: str | None = None,
) -> Figure:
    """Structural model: variables and their standardised ``~`` paths with stars.

    Parameters
    ----------
    estimates : DataFrame
        Parameter table with lhs, op, rhs, std_all and (optional) pvalue; the
        ``~`` rows are drawn.
    r2 : mapping or Series, optional
        R² of endogenous variables, printed under their names.
    labels : mapping, optional
        Variable → printed name; default the construct catalogue name
        (:func:`~sqresearch.report.labels.construct_label`).
    latent : list of str, optional
        Variables drawn as ellipses (the rest as rectangles); by default the
        left-hand sides of ``=~`` rows, or all variables when there are none.
    engine : {"auto", "dot", "layers"}
        "auto" uses graphviz ``dot`` when it is on the PATH and works, else
        the layered layout with a :class:`DiagramWarning`; "dot" raises
        :class:`InputError` instead of falling back.
    """
    lang = check_lang(lang)
    _check(estimates)
    if engine not in ENGINES:
        raise InputError("unknown diagram engine", value=engine, hint=f"use one of {ENGINES}")
    paths = estimates[estimates["op"] == "~"]
    if paths.empty:
        raise InputError("no structural paths (op '~') to draw")
    names = list(dict.fromkeys([*paths["rhs"], *paths["lhs"]]))
    if latent is None:
        factors = set(estimates.loc[estimates["op"] == "=~", "lhs"])
        latent = [n for n in names if n in factors] if factors else names
    r2 = dict(r2) if r2 is not None else {}

    def node_texts(wrap: float) -> dict[str, str]:
        texts = {}
        for n in names:
            text = _wrap((labels or {}).get(n) or construct_label(n, lang), wrap)
            if n in r2:
                text += f"\n{label('r2', lang)} = {fmt_number(r2[n], 'r2')}"
            texts[n] = text
        return texts

    texts = node_texts(WRAP_IN)
    sizes = {n: _node_size(texts[n], n in latent) for n in names}
    pos, splines = _path_layout(estimates, sizes, latent, engine)
    bends: dict[tuple[str, str], float] = {}
    if _fit_scale(pos, sizes) < LEGIBLE_SCALE:  # a long chain: wrap it into rows
        for wrap in (WRAP_IN, NARROW_WRAP_IN):
            other = node_texts(wrap)
            other_sizes = {n: _node_size(other[n], n in latent) for n in names}
            other_pos, other_bends = _wrapped_layout(estimates, other_sizes)
            if _fit_scale(other_pos, other_sizes, other_bends) > _fit_scale(pos, sizes, bends):
                texts, sizes, pos, splines, bends = other, other_sizes, other_pos, {}, other_bends
    nodes = {n: _Node(n, texts[n], *pos[n], *sizes[n], n in latent) for n in names}
    xmin, xmax, ymin, ymax = _extent(pos, sizes, bends)
    with thesis_style():
        fig = plt.figure(figsize=(xmax - xmin + 0.4, ymax - ymin + 0.4))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(xmin - 0.2, xmax + 0.2)
        ax.set_ylim(ymin - 0.2, ymax + 0.2)
        ax.set_axis_off()
        for node in nodes.values():
            _draw_node(ax, node)
        placed: list[np.ndarray] = []
        for row in paths.to_dict("records"):
            src, dst = nodes[row["rhs"]], nodes[row["lhs"]]
            p = row.get("pvalue")
            style = "--" if p is not None and p >= threshold("alpha_level") else "-"
            pts = splines.get((row["rhs"], row["lhs"]))
            if pts is not None:
                d = pts[-1] - pts[-2]
                tip = pts[-1] + _ARROW_IN * d / max(np.hypot(*d), 1e-9)
                verts = [*pts, tip]
                codes = [MplPath.MOVETO] + [MplPath.CURVE4] * (len(pts) - 1) + [MplPath.LINETO]
                arrow = FancyArrowPatch(
                    path=MplPath(verts, codes),
                    arrowstyle="-|>",
                    mutation_scale=11,
                    linewidth=0.9,
                    linestyle=style,
                    color="black",
                    zorder=1,
                )
                mid = _free_spot(lambda t, pts=pts: _bezier_point(pts, t), placed)
            elif (row["rhs"], row["lhs"]) in bends:
                rad = bends[(row["rhs"], row["lhs"])]
                control = _arc_control(np.array([src.x, src.y]), np.array([dst.x, dst.y]), rad)
                start, end = _outline_point(src, control), _outline_point(dst, control)
                arrow = FancyArrowPatch(
                    start,
                    end,
                    connectionstyle=f"arc3,rad={rad}",
                    arrowstyle="-|>",
                    mutation_scale=11,
                    linewidth=0.9,
                    linestyle=style,
                    color="black",
                    zorder=1,
                )
                mid = _bezier_mid(start, end, rad)
                placed.append(mid)
            else:
                arrow = _node_arrow(src, dst, scale=11, width=0.9, linestyle=style)
                a, b = np.array([src.x, src.y]), np.array([dst.x, dst.y])
                mid = _free_spot(lambda t, a=a, b=b: a + t * (b - a), placed)
            ax.add_patch(arrow)
            _label(ax, mid, _coefficient(row))
    return fig


#: The largest drawing that goes into the paper at its own size (inches): the text block
#: (A4, 2.5 cm margins) less room for the caption. Larger figures would be shrunk, and
#: their labels with them.
MAX_WIDTH_IN, MAX_HEIGHT_IN = 6.3, 7.8
_ITEM_STEP, _FACTOR_GAP, _ITEM_TO_FACTOR = 0.34, 0.3, 1.0


def measurement_parts(
    estimates: pd.DataFrame, *, labels: Mapping[str, str] | None = None, lang: str | None = None
) -> list[list[list[str]]]:
    """How the measurement model is cut so its labels keep their size: figures of columns of factors.

    Factors fill a column until it would be taller than :data:`MAX_HEIGHT_IN`,
    then a second column beside it (when two fit :data:`MAX_WIDTH_IN`), then
    a new figure.  A model that fits one column is one figure of one column.

    Examples
    --------
    >>> est = pd.DataFrame({"lhs": ["F1"] * 3 + ["F2"] * 3, "op": ["=~"] * 6,
    ...                     "rhs": ["a1", "a2", "a3", "b1", "b2", "b3"], "std_all": [0.7] * 6})
    >>> measurement_parts(est, lang="en")
    [[['F1', 'F2']]]
    """
    loads = estimates[estimates["op"] == "=~"]
    factors = list(dict.fromkeys(loads["lhs"]))
    heights = {f: (loads["lhs"] == f).sum() * _ITEM_STEP + _FACTOR_GAP for f in factors}
    room = MAX_HEIGHT_IN - 0.7
    columns: list[list[str]] = [[]]
    used = 0.0
    for f in factors:
        if columns[-1] and used + heights[f] > room:
            columns.append([])
            used = 0.0
        columns[-1].append(f)
        used += heights[f]
    item_w, fac_w = _measurement_widths(loads, factors, labels, lang)
    per_figure = 2 if 2 * _column_width(item_w, fac_w, False) <= MAX_WIDTH_IN else 1
    return [columns[k : k + per_figure] for k in range(0, len(columns), per_figure)]


def _measurement_widths(loads, factors, labels, lang) -> tuple[float, float]:
    texts = [_wrap((labels or {}).get(f) or construct_label(f, lang)) for f in factors]
    item_w = max(_node_size(i, False)[0] for i in loads["rhs"])
    return item_w, max(_node_size(t, True)[0] for t in texts)


def _column_width(item_w: float, fac_w: float, arcs: bool) -> float:
    return item_w + _ITEM_TO_FACTOR + fac_w + (1.2 if arcs else 0.3)


def measurement_diagrams(
    estimates: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> list[Figure]:
    """The measurement model in as many figures as it needs to stay legible (:func:`measurement_parts`).

    One figure of one column draws the factor correlations as arcs; a model
    cut into columns or figures leaves them to the discriminant-validity table.
    """
    parts = measurement_parts(estimates, labels=labels, lang=lang)
    if len(parts) == 1 and len(parts[0]) == 1:
        return [measurement_diagram(estimates, labels=labels, lang=lang)]
    return [
        measurement_diagram(estimates, labels=labels, lang=lang, columns=part, correlations=False)
        for part in parts
    ]


def measurement_diagram(
    estimates: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    correlations: bool = True,
    lang: str | None = None,
    columns: Sequence[Sequence[str]] | None = None,
) -> Figure:
    """Measurement model: items, their standardised loadings and factor correlations.

    Parameters
    ----------
    estimates : DataFrame
        Parameter table with lhs, op, rhs, std_all and (optional) pvalue;
        ``=~`` rows give the loadings, ``~~`` rows between two factors the
        correlations (drawn as arcs when ``correlations``).
    labels : mapping, optional
        Factor → printed name; default the construct catalogue name.
    columns : sequence of sequences of factors, optional
        The factors to draw, column by column (default all, in one column);
        :func:`measurement_diagrams` chooses them so the labels keep their size.
    """
    lang = check_lang(lang)
    _check(estimates)
    loads = estimates[estimates["op"] == "=~"]
    if loads.empty:
        raise InputError("no loadings (op '=~') to draw")
    if columns is None:
        columns = [list(dict.fromkeys(loads["lhs"]))]
    factors = [f for column in columns for f in column]
    loads = loads[loads["lhs"].isin(factors)]
    item_w, fac_w = _measurement_widths(loads, factors, labels, lang)
    texts = {f: _wrap((labels or {}).get(f) or construct_label(f, lang)) for f in factors}
    arcs = correlations and len(factors) > 1
    width = _column_width(item_w, fac_w, arcs)
    item_nodes, fac_nodes = [], {}
    bottom = 0.0
    for c, column in enumerate(columns):
        x0, y = c * width, 0.0
        for f in column:
            members = list(loads.loc[loads["lhs"] == f, "rhs"])
            ys = []
            for item in members:
                item_nodes.append((f, _Node(item, item, x0, y, item_w, 0.26, False)))
                ys.append(y)
                y -= _ITEM_STEP
            fw, fh = _node_size(texts[f], True)
            fac_nodes[f] = _Node(
                f, texts[f], x0 + item_w / 2 + _ITEM_TO_FACTOR + fac_w / 2, float(np.mean(ys)),
                fw, fh, True,
            )  # fmt: skip
            y -= _FACTOR_GAP
        bottom = min(bottom, y + _FACTOR_GAP - 0.3)
    right = (len(columns) - 1) * width + width - item_w / 2
    top = 0.4
    with thesis_style():
        fig = plt.figure(figsize=(right + item_w / 2 + 0.2, top - bottom))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(-item_w / 2 - 0.1, right + 0.1)
        ax.set_ylim(bottom, top)
        ax.set_axis_off()
        for node in [n for _, n in item_nodes] + list(fac_nodes.values()):
            _draw_node(ax, node)
        rows = {(r["lhs"], r["rhs"]): r for r in loads.to_dict("records")}
        for f, item in item_nodes:
            fac = fac_nodes[f]
            ax.add_patch(_node_arrow(fac, item, scale=9, width=0.7))
            at = np.array([item.x + item.w / 2, item.y]) * 0.55 + np.array([fac.x, fac.y]) * 0.45
            _label(ax, at, _coefficient(rows[(f, item.name)]), size=8)
        if arcs:
            covs = estimates[(estimates["op"] == "~~") & (estimates["lhs"] != estimates["rhs"])]
            for row in covs.to_dict("records"):
                if row["lhs"] not in fac_nodes or row["rhs"] not in fac_nodes:
                    continue
                a, b = fac_nodes[row["lhs"]], fac_nodes[row["rhs"]]
                if a.y < b.y:
                    a, b = b, a
                start = np.array([a.x + a.w / 2, a.y])
                end = np.array([b.x + b.w / 2, b.y])
                rad = -0.25  # arcs bulge to the right when going down
                ax.add_patch(
                    FancyArrowPatch(
                        start,
                        end,
                        connectionstyle=f"arc3,rad={rad}",
                        arrowstyle="<|-|>",
                        mutation_scale=7,
                        linewidth=0.6,
                        color="black",
                        zorder=1,
                    )
                )
                (dx, dy), m = end - start, (start + end) / 2
                control = m + np.array([rad * dy, -rad * dx])
                _label(ax, 0.25 * start + 0.5 * control + 0.25 * end, _coefficient(row), size=7.5)
    return fig
