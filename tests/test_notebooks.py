"""The notebooks: paired with their jupytext scripts, stored without outputs, and built end to end.

The slow tests run the whole build (``sqresearch.build.build``) on a copy of
the default study with small resample counts, twice: once in this process
with the PDF, and once, at the same time, in a subprocess on a second copy
without it.  They check that every file the chapter ``\\input``s or includes
exists, that the PDF was compiled when TeX is installed, that nothing under
``paper/`` or ``data/processed/`` holds personal data, that outputs carry no
absolute paths, and that the two builds wrote byte-identical tables, text and
results.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import jupytext
import nbformat
import pytest

from sqresearch.build import build
from sqresearch.clean.pii import scan_path
from sqresearch.paths import ROOT
from sqresearch.study import load_study

NOTEBOOKS = ROOT / "notebooks"
SCRIPTS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
SMALL = {"SQRESEARCH_BOOTSTRAP": "200", "SQRESEARCH_SEM_BOOTSTRAP": "50"}
# What a study folder needs to build (data/processed, paper/tables ... are generated).
STUDY_FILES = (
    "study.yaml",
    "instrument.yaml",
    "data/raw",
    "data/codebook.yaml",
    "notebooks",
    "paper/main.tex",
)


def test_notebooks_are_numbered_and_paired():
    assert [p.stem[:2] for p in SCRIPTS] == [f"{i:02d}" for i in range(len(SCRIPTS))]
    assert len(SCRIPTS) == 10
    for script in SCRIPTS:
        assert script.with_suffix(".ipynb").is_file(), f"{script.name} has no paired .ipynb"
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == [p.stem for p in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_notebook_pair_in_sync_and_without_outputs(script):
    from_py = jupytext.read(script)
    from_ipynb = jupytext.read(script.with_suffix(".ipynb"))
    assert [(c.cell_type, c.source) for c in from_py.cells] == [
        (c.cell_type, c.source) for c in from_ipynb.cells
    ], f"{script.name} and its .ipynb differ: run `jupytext --sync {script}`"
    assert from_ipynb.metadata["jupytext"]["formats"] == "ipynb,py:percent"
    raw = nbformat.read(script.with_suffix(".ipynb"), as_version=4)
    for cell in raw.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{script.name} has outputs"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_lists_what_it_writes(script):
    notebook = jupytext.read(script)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "study = load_study()" in code
    assert not re.search(r"^\s*(def|class) ", code, flags=re.M), "no definitions in notebooks"
    # the language is the study's, set once by load_study: never threaded through calls
    assert not re.search(r"\blang\b", code), "a notebook passes lang"
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and "Files written" in first.source
    # every artefact name in the code carries the notebook's number (reads of earlier
    # notebooks' results, ``study.results / "NN_x.json"``, excepted)
    number = script.stem[:2]
    names = re.findall(r'(?<!/ )f?"([0-9]{2}_[^"]*)"', code)
    assert names, "the notebook writes nothing"
    assert all(name.startswith(f"{number}_") for name in names), names


def _copy_study(folder: Path) -> Path:
    for name in STUDY_FILES:
        source, target = ROOT / name, folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(
                source, target, ignore=shutil.ignore_patterns("*.py", ".ipynb_checkpoints")
            )
        else:
            shutil.copy2(source, target)
    return folder / "study.yaml"


def _outputs(paper: Path) -> dict[str, bytes]:
    files = [*paper.glob("tables/*.tex"), *paper.glob("text/*.tex"), *paper.glob("results/*.json")]
    return {p.relative_to(paper).as_posix(): p.read_bytes() for p in sorted(files)}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two builds of the default study: ``(first study folder, outputs of the second)``."""
    first = _copy_study(tmp_path_factory.mktemp("build1"))
    second = _copy_study(tmp_path_factory.mktemp("build2"))
    with pytest.MonkeyPatch.context() as mp:
        for key, value in SMALL.items():
            mp.setenv(key, value)
        # the second build runs beside the first, in its own process
        other = subprocess.Popen(
            [sys.executable, "-m", "sqresearch", "build", "--no-pdf", str(second)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
        )
        try:
            result = build(first, pdf=True)
        finally:
            _, err = other.communicate()
    assert other.returncode == 0, err[-3000:]
    return first.parent, result, _outputs(second.parent / "paper")


@pytest.mark.slow
def test_build_writes_every_file_the_chapter_needs(built):
    folder, result, _ = built
    paper = folder / "paper"
    assert len(result["notebooks"]) == len(SCRIPTS)
    study = load_study(folder / "study.yaml")
    chapter = (paper / "chapter.tex").read_text(encoding="utf-8")
    inputs = re.findall(r"\\input\{([^}]+)\}", chapter)
    graphics = re.findall(r"\\includegraphics(?:\[[^\]]*\])?\{([^}]+)\}", chapter)
    assert len(inputs) > 40 and len(graphics) >= 6
    missing = [i for i in inputs if not (paper / f"{i}.tex").is_file()]
    missing += [g for g in graphics if not (paper / "figures" / f"{g}.pdf").is_file()]
    assert not missing, missing
    # every table and figure written is used by the chapter (one producer, one use)
    written = {p.stem for p in (paper / "tables").glob("*.tex")}
    assert written == {Path(i).name for i in inputs if i.startswith("tables/")}
    assert {p.stem for p in (paper / "figures").glob("*.pdf")} == set(graphics)
    for name in ("00_settings", "00_questionnaire"):
        assert (paper / "text" / f"{name}.tex").is_file()
    assert (paper / "refs.bib").is_file()
    settings = (paper / "text" / "00_settings.tex").read_text(encoding="utf-8")
    assert settings.strip() == f"\\newcommand\\studylang{{{study.language}}}"


@pytest.mark.slow
def test_build_compiles_the_pdf_when_tex_is_installed(built):
    folder, result, _ = built
    if not (shutil.which("xelatex") and shutil.which("latexmk")):
        assert result["pdf"] is None
        pytest.skip("TeX is not installed")
    pdf = folder / "paper" / "main.pdf"
    assert result["pdf"] == pdf and pdf.stat().st_size > 100_000
    log = (folder / "paper" / "main.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log  # every CJK glyph found in a font


@pytest.mark.slow
def test_build_outputs_hold_no_personal_data_or_absolute_paths(built):
    folder, _, _ = built
    for sub in ("paper", "data/processed"):
        findings = scan_path(folder / sub)
        assert findings.empty, findings.to_string()
    for path, content in _outputs(folder / "paper").items():
        text = content.decode("utf-8")
        assert str(folder) not in text and str(ROOT) not in text, path


@pytest.mark.slow
def test_two_builds_write_identical_tables_text_and_results(built):
    folder, _, second = built
    first = _outputs(folder / "paper")
    assert len(first) > 60
    assert first.keys() == second.keys()
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, differ


GOLDEN = Path(__file__).parent / "golden" / "default_build"
# build_info.json records package versions and checksums; it is not an analysis output
NOT_GOLDEN = {"results/build_info.json"}


def _json_differences(expected, actual, where: str = "") -> list[str]:
    """Paths where two JSON values differ; numbers agree within 1e-9 (relative) or 1e-12.

    A tolerance rather than bytes for the results documents only: their numbers are
    printed at full precision, whose last bits may differ with the BLAS a machine
    dispatches to; every printed table and text is compared byte for byte.
    """
    number = (int, float)
    if isinstance(expected, number) and isinstance(actual, number):
        if not (isinstance(expected, bool) or isinstance(actual, bool)):
            same = expected == actual or abs(expected - actual) <= 1e-12 + 1e-9 * abs(expected)
            return [] if same else [f"{where}: {expected!r} != {actual!r}"]
    if isinstance(expected, dict) and isinstance(actual, dict):
        if expected.keys() != actual.keys():
            return [f"{where}: keys {sorted(expected.keys() ^ actual.keys())}"]
        return [
            d for k in expected for d in _json_differences(expected[k], actual[k], f"{where}/{k}")
        ]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} items != {len(actual)}"]
        pairs = enumerate(zip(expected, actual, strict=True))
        return [d for i, (e, a) in pairs for d in _json_differences(e, a, f"{where}[{i}]")]
    return [] if expected == actual else [f"{where}: {expected!r} != {actual!r}"]


def test_json_differences_finds_numbers_keys_and_text_that_differ():
    golden = {"a": [1.0, 2.0], "b": {"c": "x"}, "n": 3}
    assert _json_differences(golden, {"a": [1.0, 2.0 + 1e-12], "b": {"c": "x"}, "n": 3}) == []
    assert _json_differences(golden, {"a": [1.0, 2.001], "b": {"c": "x"}, "n": 3}) == [
        "/a[1]: 2.0 != 2.001"
    ]
    assert _json_differences(golden, {"a": [1.0], "b": {"c": "y"}, "n": 3}) == [
        "/a: 2 items != 1", "/b/c: 'x' != 'y'"
    ]  # fmt: skip
    assert _json_differences(golden, {"a": [1.0, 2.0], "b": {}, "n": True}) == [
        "/b: keys ['c']", "/n: 3 != True"
    ]  # fmt: skip


@pytest.mark.slow
def test_build_matches_the_golden_files(built):
    """The build's tables, text and results equal the files in tests/golden/default_build/.

    They pin the build's behaviour through restructurings (issue 18): a change of
    output must be a documented fix. To accept one, rebuild the goldens and commit
    them with a message that says what changed and why::

        SQRESEARCH_UPDATE_GOLDEN=1 pytest tests/test_notebooks.py -m slow -k golden
    """
    import difflib

    folder, _, _ = built
    outputs = {k: v for k, v in _outputs(folder / "paper").items() if k not in NOT_GOLDEN}
    if os.environ.get("SQRESEARCH_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, content in outputs.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(content)
        pytest.skip(f"golden files written to {GOLDEN}")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*.*"))}
    assert sorted(outputs) == sorted(golden), set(outputs) ^ set(golden)
    problems = []
    for name, expected in golden.items():
        if name.endswith(".json"):
            found = _json_differences(json.loads(expected), json.loads(outputs[name]))
            problems += [f"{name}{d}" for d in found[:5]]
        elif outputs[name] != expected:
            diff = difflib.unified_diff(
                expected.decode("utf-8").splitlines(), outputs[name].decode("utf-8").splitlines(),
                f"golden/{name}", f"built/{name}", lineterm="", n=0,
            )  # fmt: skip
            problems.append("\n".join(list(diff)[:12]))
    assert not problems, "\n".join(problems[:20])


@pytest.mark.slow
def test_no_text_in_the_pdf_is_smaller_than_7_pt(built):
    from pdfsizes import too_small

    folder, result, _ = built
    if result["pdf"] is None:
        pytest.skip("TeX is not installed")
    small = too_small(result["pdf"])
    assert not small, small[:20]


@pytest.mark.slow
def test_the_chapter_as_word_matches_the_pdf_numbering(built):
    folder, result, _ = built
    paper = folder / "paper"
    document = docx.Document(str(result["docx"]))
    entries = [e for log in sorted((paper / "chapter").glob("*.json"))
               for e in json.loads(log.read_text(encoding="utf-8"))]  # fmt: skip
    tables = [e for e in entries if e["kind"] == "table"]
    figures = [e for e in entries if e["kind"] == "figure"]
    assert len(document.tables) > len(tables) and len(document.inline_shapes) == len(figures)
    texts = [p.text for p in document.paragraphs]
    # captions numbered in order, as LaTeX numbers them, and the text refers to them
    assert [t.split(" ")[0] for t in texts if re.match(r"表\d+ ", t)] == [
        f"表{n}" for n in range(1, len(tables) + 1)
    ]
    assert [t.split(" ")[0] for t in texts if re.match(r"图\d+ ", t)] == [
        f"图{n}" for n in range(1, len(figures) + 1)
    ]
    assert "研究假设见表1。" in texts
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["1 研究设计", "1.1 研究假设与概念模型"]
    assert headings[-2:] == ["参考文献", "附录"]  # the questionnaire follows the references
    assert not any("\\" in t or "??" in t for t in texts), [t for t in texts if "\\" in t][:3]
    references = texts[texts.index("参考文献") + 1 : texts.index("附录")]
    cited = {n for t in texts for group in re.findall(r"\[([\d,]+)\]", t) for n in group.split(",")}
    assert len(references) == len(cited) and references[0].startswith("[1] ")
    assert "[J]." in "".join(references)
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 12 and normal.font.name == "Times New Roman"
    cell_run = document.tables[0].rows[0].cells[0].paragraphs[0].runs[0]
    assert cell_run.font.size.pt == 10.5
    # the appendix: the whole questionnaire (items in tables after the chapter's), as in the PDF
    from sqresearch.report.questionnaire import build_questionnaire

    asked = build_questionnaire(load_study(folder / "study.yaml").framework).items()
    cells = {c.text for t in document.tables[len(tables) :] for row in t.rows for c in row.cells}
    assert {item.text_zh for item in asked} <= cells
    # no text below 7.5 pt anywhere (小五 is 9 pt): runs, styles and document defaults
    sizes = [int(v) for part in ("word/document.xml", "word/styles.xml")
             for v in re.findall(rb'<w:sz(?:Cs)? w:val="(\d+)"', _docx_part(result["docx"], part))]  # fmt: skip
    assert sizes and min(sizes) >= 15, sorted(set(sizes))


def _docx_part(path: Path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def _title_key(text: str) -> str:
    """Letters and digits only, lower case: a title as it survives BibTeX and pdftotext."""
    return "".join(c for c in text.lower() if c.isalnum())


def _cited_order(entries: list[str], bib: dict) -> list[tuple[str, str]]:
    """``(number, key)`` of each numbered reference, the key found by its (longest) title."""
    titles = {key: _title_key(entry["title"]) for key, entry in bib.items()}
    found = []
    for entry in entries:
        number = re.match(r"\[(\d+)\]", entry)[1]
        keys = [key for key, title in titles.items() if title in _title_key(entry)]
        assert keys, entry
        found.append((number, max(keys, key=lambda key: len(titles[key]))))  # "Brand community"
    return found


@pytest.mark.slow
def test_pdf_and_word_number_the_references_alike(built):
    """zh: both number the references in order of first citation (GB/T 7714 顺序编码制)."""
    from pdfminer.high_level import extract_text

    from sqresearch.report.references import parse_bib

    folder, result, _ = built
    if result["pdf"] is None:
        pytest.skip("TeX is not installed")
    bib = parse_bib((folder / "paper" / "refs.bib").read_text(encoding="utf-8"))
    texts = [p.text for p in docx.Document(str(result["docx"])).paragraphs]
    word = _cited_order(texts[texts.index("参考文献") + 1 : texts.index("附录")], bib)
    pdf = " ".join(extract_text(str(result["pdf"])).split())
    start = re.search(r"参考文献 \[1\]", pdf).start()
    listed = re.findall(r"\[\d+\].*?(?= \[\d+\]|$)", pdf[start:].split("附录")[0])
    printed = _cited_order(listed, bib)
    assert len(word) >= 10 and printed == word
    assert [n for n, _ in word] == [str(i) for i in range(1, len(word) + 1)]


@pytest.mark.slow
def test_word_chapter_renders_with_libreoffice(built, tmp_path):
    """LibreOffice (``libreoffice-writer-nogui``, installed by .ci/run) opens main.docx and
    prints it: every page of the chapter, its first heading and its first table's caption."""
    from pdfminer.high_level import extract_text

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed")
    _, result, _ = built
    profile = (tmp_path / "profile").as_uri()  # its own settings: runs beside another office
    subprocess.run(
        [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(result["docx"])],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    pages = extract_text(str(tmp_path / "main.pdf")).split("\f")
    document = docx.Document(str(result["docx"]))
    heading = next(p.text for p in document.paragraphs if p.style.name == "Heading 1")
    table = next(p.text for p in document.paragraphs if p.text.startswith("表1 "))
    flat = ["".join(page.split()) for page in pages]
    assert len(pages) >= 30  # the default study's chapter: about 44 pages at A4
    assert "".join(heading.split()) in flat[0]
    assert any("".join(table.split()) in page for page in flat)


@pytest.mark.slow
def test_a_twelve_construct_study_builds_legibly(tmp_path):
    """A generated study of 12 constructs: no text under 7 pt, tables never scaled."""
    from pdfsizes import too_small
    from studygen import random_study

    if not (shutil.which("xelatex") and shutil.which("latexmk")):
        pytest.skip("TeX is not installed")
    config = random_study(7, tmp_path, n_constructs=12)
    with pytest.MonkeyPatch.context() as mp:
        for key, value in SMALL.items():
            mp.setenv(key, value)
        result = build(config, pdf=True)
    small = too_small(result["pdf"])
    assert not small, small[:20]
    chapter = (tmp_path / "paper" / "chapter.tex").read_text(encoding="utf-8")
    assert "adjustbox" not in chapter and "resizebox" not in chapter
