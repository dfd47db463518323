"""Tables at a legible size (landscape, parts, longtable) and the chapter as Word."""

from __future__ import annotations

import json

import docx
import numpy as np
import pandas as pd
import pytest

from sqresearch.report.chapter import write_chapter, write_chapter_docx
from sqresearch.report.latex import layout
from sqresearch.report.tables import ThesisTable, render


def _matrix(k: int, rows: int | None = None, lang: str = "zh") -> ThesisTable:
    rng = np.random.default_rng(k)
    data = pd.DataFrame({"item": [f"社群归属感题项{i}" for i in range(rows or k)]})
    for j in range(k):
        data[f"F{j}"] = rng.uniform(-1, 1, len(data))
    return ThesisTable(data, kinds={f"F{j}": "r" for j in range(k)}, title="载荷",
                       notes=["注：测试。"], label="tab:m", lang=lang)  # fmt: skip


def test_tables_fit_by_orientation_and_parts_never_by_scaling():
    assert layout(_matrix(4)) == ("portrait", [[0, 1, 2, 3, 4]], False)
    orientation, parts, long = layout(_matrix(12))
    assert orientation == "landscape" and len(parts) == 1 and not long
    orientation, parts, long = layout(_matrix(30))
    assert orientation == "landscape" and len(parts) >= 2 and long
    assert all(part[0] == 0 for part in parts)  # the item column repeats in every part
    assert sorted({i for part in parts for i in part}) == list(range(31))
    tex = render(_matrix(30), "latex")
    assert tex.count(r"\caption{") == 1 and r"续表\thetable" in tex
    assert "adjustbox" not in tex and "resizebox" not in tex and r"\begin{landscape}" in tex
    assert tex.count("注：测试。") == 1  # notes once, after the last part
    long_tex = render(_matrix(3, rows=80), "latex")
    assert r"\begin{longtable}" in long_tex and r"\endhead" in long_tex
    assert r"\begin{landscape}" not in long_tex
    en = render(_matrix(3, rows=80, lang="en"), "latex")
    assert r"Table \thetable\ (continued)" in en


def test_chapter_docx_numbers_tables_resolves_refs_and_lists_cited_references(tmp_path):
    paper = tmp_path / "paper"
    for sub in ("chapter", "tables", "text"):
        (paper / sub).mkdir(parents=True)
    first, second = _matrix(2), _matrix(3)
    for name, table in (("01_a", first), ("02_b", second)):
        table.label = f"tab:{name}"
        render(table, "docx", path=paper / "tables" / f"{name}.docx")
        render(table, "latex", path=paper / "tables" / f"{name}.tex")
    (paper / "text" / "02_b.tex").write_text(
        r"如表\ref{tab:02_b}所示，$\chi^{2}$/df $\leq$ 3，50\%\cite{b2}，另见\cite{a1,b2}。",
        encoding="utf-8",
    )
    (paper / "refs.bib").write_text(
        "@article{a1, author = {Yoo, Boonghee and Donthu, Naveen}, title = {T1}, "
        "journal = {J}, year = {2000}, volume = {28}, number = {2}, pages = {195--211}, "
        "doi = {10.1/x_y}}\n"
        "@book{b2, author = {Collins, Randall}, title = {Chains}, publisher = {PUP}, "
        "address = {Princeton, NJ}, year = {2004}}\n"
        "@book{unused, author = {X, Y}, title = {U}, publisher = {P}, year = {2001}}\n",
        encoding="utf-8",
    )
    logs = {
        "01": [{"kind": "heading", "level": 1, "title": "信度"},
               {"kind": "table", "name": "01_a", "label": "tab:01_a", "caption": "载荷"}],
        "02": [{"kind": "heading", "level": 2, "title": "效度"},
               {"kind": "text", "name": "02_b"},
               {"kind": "table", "name": "02_b", "label": "tab:02_b", "caption": "载荷"}],
    }  # fmt: skip
    for number, entries in logs.items():
        (paper / "chapter" / f"{number}.json").write_text(json.dumps(entries), encoding="utf-8")
    out = write_chapter_docx(paper, "zh")
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert [t for t in texts if t.startswith(("1 ", "1.1 "))] == ["1 信度", "1.1 效度"]
    assert "如表2所示，χ²/df ≤ 3，50%[1]，另见[2,1]。" in texts
    assert [t for t in texts if t.startswith("表")][:3] == ["表1 载荷", "表2 载荷"]
    assert texts[-2:] == [
        "[1] Collins R. Chains[M]. Princeton, NJ: PUP, 2004.",
        "[2] Yoo B, Donthu N. T1[J]. J, 2000, 28(2): 195-211.",
    ]
    assert len(document.tables) == 2
    before = out.read_bytes()
    assert write_chapter_docx(paper, "zh").read_bytes() == before  # deterministic
    chapter = write_chapter(paper, "zh").read_text(encoding="utf-8")
    assert r"\input{tables/01_a}" in chapter and "fittables" not in chapter
    # the PDF's list: the same entries, words and numbers as the Word file's
    bibliography = (paper / "references.tex").read_text(encoding="utf-8").splitlines()
    assert bibliography == [
        r"\begin{thebibliography}{2}",
        r"\bibitem{b2} Collins R. Chains[M]. Princeton, NJ: PUP, 2004.",
        r"\bibitem{a1} Yoo B, Donthu N. T1[J]. J, 2000, 28(2): 195-211.",
        r"\end{thebibliography}",
    ]
    write_chapter(paper, "en")
    english = (paper / "references.tex").read_text(encoding="utf-8").splitlines()
    assert [line.split("}")[0] for line in english[1:3]] == [
        r"\bibitem[Collins(2004)]{b2", r"\bibitem[Yoo \& Donthu(2000)]{a1"
    ]  # fmt: skip
    assert english[1].endswith(r"\emph{Chains}. PUP.")
    assert english[2].endswith(r"(2), 195–211. \url{https://doi.org/10.1/x_y}")  # breaks at line ends
    (paper / "text" / "02_b.tex").write_text("不引用文献。", encoding="utf-8")
    write_chapter(paper, "zh")
    assert (paper / "references.tex").read_text(encoding="utf-8") == "\n"  # \input still works


def _loadings(k: int, items: int = 4) -> pd.DataFrame:
    rows = [
        {"lhs": f"F{f}", "op": "=~", "rhs": f"F{f}_{i}", "std_all": 0.7, "pvalue": 0.001}
        for f in range(k) for i in range(items)
    ]  # fmt: skip
    rows += [
        {"lhs": f"F{a}", "op": "~~", "rhs": f"F{b}", "std_all": 0.3, "pvalue": 0.01}
        for a in range(k) for b in range(a + 1, k)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def _printed_sizes(fig, tmp_path, name: str) -> float:
    """Smallest character of a figure as printed: included at most text-width wide and
    0.8 of the text height tall (as the chapter includes it), never enlarged."""
    from pdfsizes import char_sizes

    from sqresearch.report.diagrams import MAX_HEIGHT_IN, MAX_WIDTH_IN
    from sqresearch.report.style import save_figure

    pdf, _ = save_figure(fig, tmp_path / name)
    box = [float(v) for v in pdf.read_bytes().split(b"/MediaBox [")[1].split(b"]")[0].split()]
    width, height = (box[2] - box[0]) / 72, (box[3] - box[1]) / 72
    scale = min(1.0, MAX_WIDTH_IN / width, MAX_HEIGHT_IN / height)
    return min(size for _, size, _ in char_sizes(pdf)) * scale


@pytest.mark.slow
def test_diagrams_keep_labels_of_7_pt_from_1_to_15_constructs(tmp_path):
    import matplotlib.pyplot as plt

    from sqresearch.report.diagrams import measurement_diagrams, sem_path_diagram

    for k in (1, 15):
        for n, fig in enumerate(measurement_diagrams(_loadings(k), lang="zh")):
            assert _printed_sizes(fig, tmp_path, f"m{k}_{n}") >= 7.0, (k, n)
            plt.close(fig)
    paths = pd.DataFrame(
        [
            {"lhs": "M1", "op": "~", "rhs": f"X{i}", "std_all": 0.3, "pvalue": 0.01}
            for i in range(10)
        ]
        + [
            {"lhs": f"Y{j}", "op": "~", "rhs": "M1", "std_all": 0.2, "pvalue": 0.2}
            for j in range(4)
        ]
    )  # 15 constructs in three layers
    fig = sem_path_diagram(paths, lang="zh")
    assert _printed_sizes(fig, tmp_path, "sem15") >= 7.0


#: Construct codes of the catalogue, in its order: a chain of up to 15 of them.
_CHAIN = ["BRD", "CUL", "PRO", "PUB", "CVA", "IRI", "CEX", "NBL", "SOB", "STAGE", "ENG", "LOY",
          "PIN", "WOM", "BCM"]  # fmt: skip


def _chain(k: int) -> tuple[pd.DataFrame, dict[str, float]]:
    """A chain of ``k`` catalogue constructs, with a path over every third link."""
    rows = [
        {"lhs": _CHAIN[i + 1], "op": "~", "rhs": _CHAIN[i], "std_all": 0.31, "pvalue": 0.001}
        for i in range(k - 1)
    ] + [
        {"lhs": _CHAIN[i + 2], "op": "~", "rhs": _CHAIN[i], "std_all": 0.12, "pvalue": 0.2}
        for i in range(0, k - 2, 3)
    ]  # fmt: skip
    return pd.DataFrame(rows), {c: 0.3 for c in _CHAIN[1:k]}


@pytest.mark.slow
def test_path_diagrams_of_long_chains_keep_labels_of_7_pt(tmp_path):
    """A chain of 7 to 15 constructs, too long for one row at a legible size, is wrapped
    into rows (zh and en names, R² lines, paths skipping a construct)."""
    import matplotlib.pyplot as plt

    from sqresearch.report.diagrams import sem_path_diagram

    cases = [(k, "zh") for k in range(7, 16)] + [(k, "en") for k in (7, 10, 13, 15)]
    for k, lang in cases:
        estimates, r2 = _chain(k)
        fig = sem_path_diagram(estimates, r2, lang=lang)
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert sum("0.310" in t for t in texts) == k - 1 and sum("0.120" in t for t in texts) >= 1
        assert _printed_sizes(fig, tmp_path, f"chain_{lang}_{k}") >= 7.0, (k, lang)
        plt.close(fig)
