"""The guide's own Sphinx directives: content generated from the package, never copied.

``{sq-thresholds} KEY KEY ...``
    The cut-offs of :data:`sqresearch.thresholds.THRESHOLDS` named by the keys,
    as a table: key, statistic, the rule a passing value meets, its citation
    and the note for readers.
``{sq-run}``
    Python code, executed when the page is built — in the Sphinx process, in
    the page's folder, with one namespace per page — and shown with its
    output as a notebook shows it: what it prints, the value of its last
    line, ``display(...)`` calls (HTML of objects with ``_repr_html_``, such
    as DataFrames, thesis tables and results), warnings, and matplotlib
    figures. An exception is reported as a Sphinx warning, so the build
    fails under ``-W``. ``:hide-code:`` shows only the output. With
    ``-D sq_run_execute=0`` the code is shown and not run (a quick build).
``{sq-cli} COMMAND``
    ``sqresearch COMMAND --help`` as argparse prints it (80 columns), from the
    command's own parser. ``:optional:`` renders a note instead of failing
    when the command is not registered in this build (a command being added on
    another branch).
"""

from __future__ import annotations

import ast
import base64
import contextlib
import io
import os
import sys
import traceback
import warnings
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

RULES = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def _table(header: list[str], rows: list[list[str]], widths: list[int]) -> nodes.table:
    table = nodes.table(classes=["sq-generated"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=w) for w in widths)

    def row(cells: list[str]) -> nodes.row:
        out = nodes.row()
        for text in cells:
            out += nodes.entry("", nodes.paragraph(text=text))
        return out

    head = nodes.thead()
    head += row(header)
    body = nodes.tbody()
    body.extend(row(cells) for cells in rows)
    group += head
    group += body
    return table


def format_value(value: float) -> str:
    """A cut-off as a thesis prints it.

    >>> [format_value(v) for v in (0.7, 0.05, -0.015, 0.001, 3.0, 1000.0, 1 / 3)]
    ['.70', '.05', '-.015', '.001', '3', '1000', '1/3']
    """
    if abs(value - 1 / 3) < 1e-12:
        return "1/3"
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.3f}"
    if text.endswith("0"):
        text = text[:-1]
    return text.replace("0.", ".", 1) if abs(value) < 1 else text


class ThresholdsDirective(SphinxDirective):
    """A table of cut-offs from :data:`sqresearch.thresholds.THRESHOLDS`."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        from sqresearch.thresholds import THRESHOLDS

        keys = self.arguments[0].split()
        unknown = [k for k in keys if k not in THRESHOLDS.index]
        if unknown:
            raise self.error(f"sq-thresholds: no such key(s) in sqresearch.thresholds: {unknown}")
        rows = []
        for key in keys:
            row = THRESHOLDS.loc[key]
            note = row["note"] if isinstance(row["note"], str) else ""
            rule = f"{RULES[row['op']]} {format_value(row['value'])}"
            rows.append([key, row["statistic"], rule, row["source"], note])
        header = ["key", "statistic · 统计量", "passes when · 通过标准", "source · 出处", "note · 备注"]
        return [_table(header, rows, [14, 30, 12, 26, 30])]


class CliDirective(SphinxDirective):
    """``sqresearch COMMAND --help`` from the command's argparse parser."""

    required_arguments = 1
    option_spec = {"optional": directives.flag}

    def run(self) -> list[nodes.Node]:
        from sqresearch.cli import COMMANDS, build_parser

        command = self.arguments[0]
        if command not in COMMANDS:
            if "optional" in self.options:
                text = f"`sqresearch {command}` is not part of this build of sqresearch."
                return [nodes.note("", nodes.paragraph(text=text))]
            raise self.error(f"sq-cli: {command!r} is not a sqresearch command ({', '.join(COMMANDS)})")
        previous = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "80"
        try:
            parser = build_parser(command)
            sub = next(a for a in parser._actions if a.dest == "command")  # the subparsers action
            text = sub.choices[command].format_help()
        finally:
            if previous is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = previous
        return [nodes.literal_block(text, text, language="text")]


class _Outputs(io.TextIOBase):
    """A stream that records what is written, in order, beside displayed objects."""

    def __init__(self, kind: str, outputs: list):
        self.kind, self.outputs = kind, outputs

    def write(self, text: str) -> int:
        if self.outputs and self.outputs[-1][0] == self.kind:
            self.outputs[-1] = (self.kind, self.outputs[-1][1] + text)
        else:
            self.outputs.append((self.kind, text))
        return len(text)


def _figures(outputs: list) -> None:
    """Move every open matplotlib figure into the outputs as a PNG."""
    if "matplotlib.pyplot" not in sys.modules:
        return
    import matplotlib.pyplot as plt

    for number in plt.get_fignums():
        outputs.append(("figure", plt.figure(number)))
    plt.close("all")


def execute(code: str, namespace: dict, folder: Path) -> tuple[list, str | None]:
    """Run ``code`` as a notebook cell; return its outputs and the traceback of a failure."""
    outputs: list = []
    namespace["display"] = lambda *objs: outputs.extend(("object", o) for o in objs)
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    failure = None
    previous = Path.cwd()
    with (
        contextlib.redirect_stdout(_Outputs("text", outputs)),
        contextlib.redirect_stderr(_Outputs("stderr", outputs)),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        os.chdir(folder)
        try:
            exec(compile(tree, "<example>", "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), "<example>", "eval"), namespace)
                if value is not None:
                    outputs.append(("object", value))
        except Exception:
            failure = traceback.format_exc()
        finally:
            os.chdir(previous)
    seen = set()
    for w in caught:
        text = f"{w.category.__name__}: {w.message}"
        if text not in seen:
            seen.add(text)
            outputs.append(("stderr", text + "\n"))
    _figures(outputs)
    return outputs, failure


def _render(kind: str, value) -> nodes.Node | None:
    if kind in ("text", "stderr"):
        text = value.rstrip("\n")
        return nodes.literal_block(text, text, classes=[f"sq-{kind}"]) if text else None
    if type(value).__name__ == "Figure":
        buffer = io.BytesIO()
        value.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        return nodes.raw("", f'<img alt="figure" src="data:image/png;base64,{data}"/>', format="html")
    markup = value._repr_html_() if hasattr(value, "_repr_html_") else None
    if isinstance(markup, str):
        return nodes.raw("", f'<div class="sq-html">{markup}</div>', format="html")
    text = repr(value)
    return nodes.literal_block(text, text, classes=["sq-text"])


class RunDirective(SphinxDirective):
    """Run a Python example when the page is built and show its output."""

    has_content = True
    option_spec = {"hide-code": directives.flag}

    def run(self) -> list[nodes.Node]:
        code = "\n".join(self.content)
        if not self.config.sq_run_execute:
            return [nodes.literal_block(code, code, language="python")]
        namespace = self.env.temp_data.setdefault("sq_run_namespace", {"__name__": "__main__"})
        folder = Path(self.env.doc2path(self.env.docname)).parent
        outputs, failure = execute(code, namespace, folder)
        result: list[nodes.Node] = []
        if "hide-code" not in self.options:
            result.append(nodes.literal_block(code, code, language="python"))
        box = nodes.container(classes=["sq-output"])
        for kind, value in outputs:
            node = _render(kind, value)
            if node is not None:
                box += node
        if failure:
            logger.warning("example failed:\n%s", failure, location=self.get_location())
            box += nodes.literal_block(failure, failure, classes=["sq-error"])
        if len(box):
            result.append(box)
        return result


def setup(app):
    app.add_config_value("sq_run_execute", True, "env", types=[bool, int])
    app.add_directive("sq-run", RunDirective)
    app.add_directive("sq-thresholds", ThresholdsDirective)
    app.add_directive("sq-cli", CliDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
