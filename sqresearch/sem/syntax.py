"""lavaan model syntax: parse it, and expand it into lavaan's parameter table.

:func:`parse_model` reads the operators ``=~ ~ ~~ ~1 :=`` with lavaan's
modifiers (``a*x`` labels, ``1*x`` fixed values, ``NA*x`` free, ``start(0.5)*x``
starting values, ``c(a, b)*x`` one modifier per group, several joined as in
``a*0.5*x``), product terms ``y ~ x:w`` on request, and numbered ``#``
comment blocks. It is the one lavaan parser of the package: the SEM engine,
PLS (:mod:`sqresearch.model.pls.spec`) and the population models of
:mod:`sqresearch.simulate` all read their syntax with it.
:func:`parameter_table` adds the parameters lavaan's ``sem()``/``cfa()`` add by
default (``auto.var``, ``auto.fix.first``, ``auto.cov.lv.x``, ``auto.cov.y``,
``fixed.x``, intercepts when a mean structure is fitted, ``group.equal``), in
lavaan's row order, so that every table we print lines up with
``parameterEstimates()``.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from sqresearch.errors import ModelError

_OPERATORS = (":=", "=~", "<~", "~~", "~", "==", "<", ">")
_OP_PATTERN = re.compile(r":=|=~|<~|~~|~|==|<|>")
_CONTINUES = ("+", "*", "~", "=", ",", "(", "-")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_NAME = re.compile(r"^[^\s+*~=:<>(),;#!\"']+$")
# a number cut at the sign of its exponent by a split on "+": "1e" of "1e+0*x"
_EXPONENT_CUT = re.compile(r"(?:^|\*)\s*[+-]?(\d+\.?\d*|\.\d+)[eE]$")

GROUP_EQUAL_TYPES = (
    "loadings",
    "intercepts",
    "means",
    "residuals",
    "residual.covariances",
    "lv.variances",
    "lv.covariances",
    "regressions",
)


@dataclass(frozen=True)
class Modifier:
    """What ``mod*x`` says about one parameter: fixed ``value`` or ``label``.

    ``free`` is True for ``NA*x`` (free a parameter lavaan would fix);
    ``start`` is the value of ``start(v)*x``.
    """

    value: float | None = None
    label: str | None = None
    free: bool = False
    start: float | None = None


@dataclass(frozen=True)
class Statement:
    """One ``lhs op rhs`` relation with the modifiers per group (or one for all)."""

    lhs: str
    op: str
    rhs: str
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True)
class Definition:
    """A defined parameter ``name := expression``."""

    name: str
    expression: str


@dataclass
class ParsedModel:
    """The statements and definitions of a lavaan model text, in order."""

    statements: list[Statement] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)


def _strip_comments(text: str) -> list[str]:
    lines = []
    for raw in text.replace(";", "\n").splitlines():
        line = re.split(r"[#!]", raw, maxsplit=1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _join_continuations(lines: list[str]) -> list[str]:
    """Join a statement that runs over lines (a line ends or starts with an operator)."""
    out: list[str] = []
    for line in lines:
        if out and (out[-1].endswith(_CONTINUES) or line.startswith(("+", "*"))):
            out[-1] = f"{out[-1]} {line}"
        elif out and not _OP_PATTERN.search(out[-1]):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _split_top(text: str, sep: str) -> list[str]:
    """Split ``text`` on ``sep`` outside parentheses."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == sep and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def _split_terms(text: str) -> list[str]:
    """Split the right-hand side into terms on ``+``, keeping a modifier ``1e+0*x`` whole."""
    terms: list[str] = []
    for part in _split_top(text, "+"):
        if terms and _EXPONENT_CUT.search(terms[-1]) and "*" in part:
            terms[-1] = f"{terms[-1]}+{part}"
        else:
            terms.append(part)
    return terms


def _modifier(token: str, statement: str) -> tuple[Modifier, ...]:
    token = token.strip()
    if token.startswith("c(") and token.endswith(")"):
        return tuple(m for part in _split_top(token[2:-1], ",") for m in _modifier(part, statement))
    if token.startswith("label(") and token.endswith(")"):
        return (Modifier(label=token[6:-1].strip().strip("\"'")),)
    if token.startswith("start(") and token.endswith(")"):
        value = token[6:-1].strip()
        if not _NUMBER.match(value):
            raise ModelError(f"cannot read the modifier {token!r} in {statement!r}")
        return (Modifier(start=float(value)),)
    if token.upper() == "NA":
        return (Modifier(free=True),)
    if _NUMBER.match(token):
        return (Modifier(value=float(token)),)
    if _NAME.match(token) and not token[0].isdigit():
        return (Modifier(label=token.strip("\"'")),)
    raise ModelError(
        f"cannot read the modifier {token!r} in {statement!r}",
    )


def _joined(modifiers: list[tuple[Modifier, ...]], term: str, statement: str) -> tuple:
    """One modifier from several of one term (``a*0.5*x``: label a, value 0.5)."""
    if len(modifiers) <= 1:
        return modifiers[0] if modifiers else ()
    if any(len(m) != 1 for m in modifiers):
        raise ModelError(f"more than one modifier with c(...) in {term!r} of {statement!r}")
    fields: dict[str, object] = {}
    for (mod,) in modifiers:
        for name in ("value", "label", "start"):
            given = getattr(mod, name)
            if given is not None:
                if name in fields:
                    raise ModelError(f"two {name}s in {term!r} of {statement!r}")
                fields[name] = given
        if mod.free:
            fields["free"] = True
    return (Modifier(**fields),)


def _check_name(name: str, statement: str) -> str:
    if not name or not _NAME.match(name):
        raise ModelError(f"{name!r} is not a variable name, in {statement!r}")
    return name


def parse_model(
    text: str, *, composites: bool = False, products: bool = False, empty: bool = False
) -> ParsedModel:
    """Parse lavaan model syntax into statements and defined parameters.

    Parameters
    ----------
    text : str
        lavaan model syntax; ``#`` and ``!`` start comments; statements end
        at a line break or ``;`` and continue on the next line when a line
        ends with an operator or the next starts with ``+``.
    composites : bool
        Accept ``f <~ x1 + x2`` (a formative composite), which only the PLS
        estimator (:func:`sqresearch.model.pls.fit_pls`) fits.
    products : bool
        Accept product terms ``y ~ x:w`` (rhs ``"x:w"``), which only
        :func:`sqresearch.simulate.simulate_data` draws.
    empty : bool
        Accept a text without statements (a population of unrelated
        variables, which a study of one construct simulates); a model to
        fit needs at least one.

    Returns
    -------
    ParsedModel

    Raises
    ------
    ModelError
        For an operator or modifier lavaan has but this engine does not fit
        (``==``, ``<``, ``>`` constraints, ``|`` thresholds, ``<~``
        unless ``composites``, ``x:w`` unless ``products``).

    Examples
    --------
    >>> parsed = parse_model('''
    ... # 1. measurement model
    ... f =~ x1 + a*x2 + 1*x3
    ... y ~ b*f
    ... ab := a*b
    ... ''')
    >>> [(s.lhs, s.op, s.rhs) for s in parsed.statements]
    [('f', '=~', 'x1'), ('f', '=~', 'x2'), ('f', '=~', 'x3'), ('y', '~', 'f')]
    >>> parsed.statements[1].modifiers, parsed.definitions[0].expression
    ((Modifier(value=None, label='a', free=False, start=None),), 'a*b')
    >>> s = parse_model("y ~ b*0.3*x + 1e+0*x:w", products=True).statements
    >>> [(st.rhs, st.modifiers[0].value, st.modifiers[0].label) for st in s]
    [('x', 0.3, 'b'), ('x:w', 1.0, None)]
    """
    parsed = ParsedModel()
    for statement in _join_continuations(_strip_comments(text)):
        match = _OP_PATTERN.search(statement)
        if match is None:
            raise ModelError(f"not a lavaan statement (no =~, ~, ~~ or :=): {statement!r}")
        op = match.group(0)
        lhs_text, rhs_text = statement[: match.start()].strip(), statement[match.end() :].strip()
        if op == ":=":
            parsed.definitions.append(Definition(_check_name(lhs_text, statement), rhs_text))
            continue
        if op == "<~" and not composites:
            raise ModelError(
                f"composites ('<~') are estimated by PLS, not by the SEM engine: {statement!r} "
                "(use sqresearch.model.pls.fit_pls or 'sqresearch pls')"
            )
        if op in ("==", "<", ">"):
            raise ModelError(
                f"constraints with {op!r} are not supported: {statement!r} "
                "(give equal parameters the same label instead: a*x1 + a*x2)"
            )
        if "|" in rhs_text or rhs_text.startswith("*"):
            raise ModelError(f"thresholds and special operators are not supported: {statement!r}")
        if not rhs_text:
            raise ModelError(f"nothing on the right of {op!r} in {statement!r}")
        for lhs in _split_top(lhs_text, "+"):
            _check_name(lhs, statement)
            for term in _split_terms(rhs_text):
                pieces = _split_top(term, "*")
                name, mods = pieces[-1], pieces[:-1]
                modifiers = _joined([_modifier(m, statement) for m in mods], term, statement)
                if op == "~" and name == "1":
                    parsed.statements.append(Statement(lhs, "~1", "", modifiers))
                elif ":" in name:
                    parsed.statements.append(
                        Statement(lhs, op, _product(name, op, products, statement), modifiers)
                    )
                else:
                    parsed.statements.append(
                        Statement(lhs, op, _check_name(name, statement), modifiers)
                    )
    if not (parsed.statements or empty):
        raise ModelError("the model text has no statements")
    return parsed


def _product(name: str, op: str, products: bool, statement: str) -> str:
    """``x:w`` checked: two variable names, after ``~``, when products are accepted."""
    if not products:
        raise ModelError(
            f"product terms ({name!r}) are not fitted by the SEM engine: {statement!r} "
            "(add the product of the two columns to the data and name that column)"
        )
    if op != "~":
        raise ModelError(f"a product {name!r} may only appear after ~: {statement!r}")
    parts = [part.strip() for part in name.split(":")]
    if len(parts) != 2:
        raise ModelError(f"a product has two factors, not {name!r}: {statement!r}")
    return ":".join(_check_name(part, statement) for part in parts)


@dataclass
class VariableRoles:
    """lavaan's names of variables by role (``lavNames``), in lavaan's order."""

    ov: list[str]
    lv: list[str]
    ov_x: list[str]
    ov_nox: list[str]
    lv_x: list[str]
    ov_y: list[str]
    lv_y: list[str]
    lv_nox: list[str]


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))


def variable_roles(statements: list[Statement], *, fixed_x: bool = True) -> VariableRoles:
    """Classify variables the way lavaan's ``lav_partable_vnames`` does.

    Observed variables are ordered as lavaan orders them: indicators, then
    dependent observed variables, then exogenous covariates, then the rest.
    """
    lv = _unique(s.lhs for s in statements if s.op == "=~")
    indicators = _unique(s.rhs for s in statements if s.op == "=~")
    eqs_y = _unique(s.lhs for s in statements if s.op == "~")
    eqs_x = _unique(s.rhs for s in statements if s.op == "~")
    ov_ind = [v for v in indicators if v not in lv]
    ov_y_all = [v for v in eqs_y if v not in lv and v not in ov_ind]
    ov_x = [v for v in eqs_x if v not in lv and v not in ov_ind and v not in ov_y_all]
    other = _unique(
        v for s in statements if s.op in ("~~", "~1") for v in (s.lhs, s.rhs) if v and v not in lv
    )
    ov = _unique([*ov_ind, *ov_y_all, *ov_x, *other])
    # fixed.x: covariates named in a user (co)variance or intercept become random
    named = {v for s in statements if s.op in ("~~", "~1") for v in (s.lhs, s.rhs)}
    ov_x = [v for v in ov_x if fixed_x and v not in named]
    lv_x = [v for v in lv if v not in indicators and v not in eqs_y]
    ov_y = [v for v in ov if v in eqs_y and v not in indicators and v not in eqs_x]
    lv_y = [v for v in lv if v in eqs_y and v not in indicators and v not in eqs_x]
    return VariableRoles(
        ov=ov,
        lv=lv,
        ov_x=ov_x,
        ov_nox=[v for v in ov if v not in ov_x],
        lv_x=lv_x,
        ov_y=ov_y,
        lv_y=lv_y,
        lv_nox=[v for v in lv if v not in lv_x],
    )


def _key(lhs: str, op: str, rhs: str) -> tuple[str, str, str]:
    if op == "~~":
        lhs, rhs = sorted((lhs, rhs))
    return lhs, op, rhs


def parameter_table(
    parsed: ParsedModel,
    *,
    groups: list | None = None,
    meanstructure: bool = False,
    std_lv: bool = False,
    fixed_x: bool = True,
    group_equal: list[str] | None = None,
    group_partial: list[str] | None = None,
) -> pd.DataFrame:
    """Expand a parsed model into lavaan's parameter table (``parTable()``).

    Parameters
    ----------
    parsed : ParsedModel
    groups : list, optional
        Group levels (multi-group model); one block of rows per group.
    meanstructure : bool
        Add intercepts (``~1``): observed intercepts free, latent means fixed
        at 0 (freed in groups after the first when intercepts are equal).
    std_lv : bool
        Fix latent variances at 1 instead of the first loading.
    fixed_x : bool
        Exogenous observed covariates fixed at their sample moments.
    group_equal, group_partial : list of str, optional
        lavaan's ``group.equal`` types and ``group.partial`` exceptions
        (``"x2 ~1"``, ``"visual =~ x2"``).

    Returns
    -------
    DataFrame
        Columns lhs, op, rhs, group (index), user, exo, free (1-based id of
        the free parameter; 0 fixed), ustart (fixed value; NaN when it comes
        from the data), label.

    Examples
    --------
    >>> pt = parameter_table(parse_model("f =~ x1 + x2 + x3"))
    >>> pt[["lhs", "op", "rhs", "free", "ustart"]].head(2).values.tolist()
    [['f', '=~', 'x1', 0, 1.0], ['f', '=~', 'x2', 1, nan]]
    >>> int(pt["free"].max())  # two loadings, three residual variances, one factor variance
    6
    """
    statements = parsed.statements
    # lavaan builds the covariate block the same way whatever fixed.x says: with
    # fixed_x=False its variances, covariances (and means) are free parameters
    roles = variable_roles(statements, fixed_x=True)
    exo_flag = int(fixed_x)
    unknown_eq = sorted(set(group_equal or ()) - set(GROUP_EQUAL_TYPES))
    if unknown_eq:
        raise ModelError(
            f"unknown group_equal type(s) {unknown_eq} (use {', '.join(GROUP_EQUAL_TYPES)})"
        )
    group_list = list(groups) if groups is not None else [None]
    n_groups = len(group_list)

    # defaults, in lavaan's order (lav_partable_flat)
    defaults: list[tuple[str, str, str, int]] = []
    for v in [*roles.ov_nox, *roles.lv]:
        defaults.append((v, "~~", v, 0))
    for a, b in combinations(roles.lv_x, 2):
        defaults.append((a, "~~", b, 0))
    for a, b in combinations([*roles.lv_y, *roles.ov_y], 2):
        defaults.append((a, "~~", b, 0))
    nx = len(roles.ov_x)
    for j in range(nx):
        for i in range(j, nx):
            defaults.append((roles.ov_x[j], "~~", roles.ov_x[i], exo_flag))
    if meanstructure:
        for v in roles.ov:
            defaults.append((v, "~1", "", exo_flag * int(v in roles.ov_x)))
        for v in roles.lv:
            defaults.append((v, "~1", "", 0))

    user_keys: dict[tuple, Statement] = {}
    for s in statements:
        key = _key(s.lhs, s.op, s.rhs)
        if key not in user_keys:  # lavaan ignores duplicated elements
            user_keys[key] = s
    rows = [(s.lhs, s.op, s.rhs, 1, 0, s) for s in user_keys.values()]
    rows += [
        (lhs, op, rhs, 0, exo, None)
        for lhs, op, rhs, exo in defaults
        if _key(lhs, op, rhs) not in user_keys
    ]

    first_indicator = {}
    for lhs, op, rhs, *_ in rows:
        if op == "=~" and lhs not in first_indicator:
            first_indicator[lhs] = rhs
    partial = {_normalise_partial(p) for p in (group_partial or ())}
    equal = set(group_equal or ())

    records = []
    for g in range(n_groups):
        for lhs, op, rhs, user, exo, statement in rows:
            free, value, label = True, float("nan"), ""
            if exo:
                free = False  # fixed.x: sample moments, filled in from the data
            if op == "=~" and not std_lv and first_indicator[lhs] == rhs:
                free, value = False, 1.0
            if std_lv and op == "~~" and lhs == rhs and lhs in roles.lv:
                free, value = False, 1.0
            if op == "~1" and lhs in roles.lv:
                # latent means fixed at 0; free in later groups when intercepts are equal
                lv_mean_free = g > 0 and "intercepts" in equal and "means" not in equal
                free, value = (True, float("nan")) if lv_mean_free else (False, 0.0)
            if statement is not None and statement.modifiers:
                mods = statement.modifiers
                if len(mods) not in (1, n_groups):
                    raise ModelError(
                        f"{len(mods)} modifiers for {lhs} {op} {rhs} but {n_groups} group(s)"
                    )
                mod = mods[g] if len(mods) == n_groups else mods[0]
                if mod.start is not None:
                    raise ModelError(
                        f"start values ({lhs} {op} {rhs}) are not used by this engine, which "
                        "finds its own; remove start(...)"
                    )
                if mod.value is not None:
                    free, value = False, mod.value
                elif mod.free:
                    free, value = True, float("nan")
                if mod.label:
                    label = mod.label
            records.append(
                {
                    "lhs": lhs,
                    "op": op,
                    "rhs": rhs,
                    "group": g,
                    "user": user,
                    "exo": exo,
                    "is_free": free,
                    "ustart": value,
                    "label": label,
                }
            )
    columns = {c: [row[c] for row in records] for c in ("lhs", "op", "rhs", "group", "user", "exo")}
    columns["ustart"] = np.array([row["ustart"] for row in records], dtype=float)
    columns["label"] = [row["label"] for row in records]
    columns["free"] = _free_ids(records, roles, equal, partial)
    return pd.DataFrame(columns)


def _normalise_partial(text: str) -> tuple[str, str, str]:
    match = _OP_PATTERN.search(text)
    if match is None:
        raise ModelError(f"group_partial entry {text!r} has no operator")
    lhs, rhs = text[: match.start()].strip(), text[match.end() :].strip()
    op = match.group(0)
    if op == "~" and rhs == "1":
        op, rhs = "~1", ""
    return _key(lhs, op, rhs)


def _equal_type(lhs: str, op: str, rhs: str, roles: VariableRoles) -> str | None:
    if op == "=~":
        return "loadings"
    if op == "~":
        return "regressions"
    if op == "~1":
        return "means" if lhs in roles.lv else "intercepts"
    if op == "~~":
        latent = lhs in roles.lv
        if lhs == rhs:
            return "lv.variances" if latent else "residuals"
        return "lv.covariances" if latent else "residual.covariances"
    return None


def _free_ids(records: list[dict], roles: VariableRoles, equal: set, partial: set) -> list[int]:
    """Number the free parameters; equal labels and group.equal share one id."""
    ids: list[int] = []
    by_label: dict[str, int] = {}
    by_key: dict[tuple, int] = {}
    next_id = 0
    for row in records:
        if not row["is_free"]:
            ids.append(0)
            continue
        lhs, op, rhs, label, group = row["lhs"], row["op"], row["rhs"], row["label"], row["group"]
        key = _key(lhs, op, rhs)
        if label and label in by_label:
            ids.append(by_label[label])
            continue
        kind = _equal_type(lhs, op, rhs, roles)
        shared = group > 0 and kind in equal and key not in partial and key in by_key
        if shared:
            ids.append(by_key[key])
            continue
        next_id += 1
        ids.append(next_id)
        if label:
            by_label[label] = next_id
        if group == 0:
            by_key[key] = next_id
    return ids


def evaluate_definition(expression: str, values: dict[str, float]) -> float:
    """Evaluate a ``:=`` expression (arithmetic on labels) safely.

    Labels given as arrays (one value per bootstrap resample) give an array.

    Examples
    --------
    >>> evaluate_definition("a*b + c", {"a": 2.0, "b": 3.0, "c": 1.0})
    7.0
    >>> evaluate_definition("a*b", {"a": np.array([1.0, 2.0]), "b": 3.0}).tolist()
    [3.0, 6.0]
    """
    code, names = _compiled_definition(expression)
    for name in names:
        if name not in values:
            raise ModelError(
                f"{name!r} in the definition {expression!r} is not a parameter label "
                "(label the parameter in the model, e.g. 'm ~ a*x')"
            )
    value = eval(code, {"__builtins__": {}}, dict(values))
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)


@functools.cache
def _compiled_definition(expression: str) -> tuple:
    """The checked, compiled expression and the names it uses (a fit evaluates it many times)."""
    # lavaan's expressions are R: ``^`` is the power operator
    tree = ast.parse(expression.replace("^", "**"), mode="eval")
    allowed = (
        ast.Expression,
        ast.BinOp,
        ast.UnaryOp,
        ast.Name,
        ast.Load,
        ast.Constant,
        ast.Add,
        ast.Sub,
        ast.Mult,
        ast.Div,
        ast.Pow,
        ast.USub,
        ast.UAdd,
    )
    names = []
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise ModelError(f"unsupported element in the definition {expression!r}")
        if isinstance(node, ast.Name):
            names.append(node.id)
    return compile(tree, "<definition>", "eval"), tuple(dict.fromkeys(names))
