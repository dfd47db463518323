"""The incremental, parallel build: each notebook runs when what it reads changed.

The slow test builds a study whose own ``notebooks/`` are three tiny
notebooks (kernels start, nothing is fitted): ``00`` reads the hypotheses and
writes a result, ``01`` reads that result, ``02`` reads only the settings.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import nbformat
import pytest

from sqresearch.build import build, notebooks
from sqresearch.paths import ROOT
from sqresearch.steps import listed, read_step, upstream
from sqresearch.study import load_study


def test_template_notebooks_declare_reads_and_the_graph_follows_them():
    steps = [read_step(path) for path in notebooks(load_study(ROOT / "study.yaml"))]
    assert all(step.reads for step in steps), [s.name for s in steps if not s.reads]
    deps = upstream(steps)
    assert deps["00"] == set() and deps["01"] == set()
    assert deps["02"] == deps["03"] == deps["04"] == deps["05"] == {"01"}
    assert deps["06"] == {"01", "04"}  # √AVE from 04_cfa.json
    assert deps["09"] == {"01", "08"}  # the SEM estimates from 08_sem.json
    hypotheses = {s.number for s in steps if "instrument.yaml#hypotheses" in s.reads}
    assert hypotheses == {"00", "06", "07", "08", "09"}


def test_listed_reads_continuation_lines_and_stops_at_a_blank_line():
    cell = (
        "Files written:\n- `data/processed/` (`clean.csv`,\n  `codebook.yaml`)\n"
        "- `paper/tables/01_flow.tex`, `.docx`\n\nmore text `x/y`"
    )
    assert listed(cell, "Files written") == [
        "data/processed/", "clean.csv", "codebook.yaml", "paper/tables/01_flow.tex"
    ]  # fmt: skip


HEAD = "Files read:\n{reads}\n\nFiles written:\n{writes}\n"
CODE = {
    "00_first": (
        "- `study.yaml`\n- `instrument.yaml#hypotheses`",
        "- `paper/results/00_first.json`",
        "import json\nfrom sqresearch.study import load_study\nstudy = load_study()\n"
        "ids = [h.id for h in study.framework.hypotheses]\n"
        "study.save_results({'ids': ids}, '00_first')",
    ),
    "01_second": (
        "- `study.yaml`\n- `paper/results/00_first.json` (from 00)",
        "- `paper/results/01_second.json`",
        "import json\nfrom sqresearch.study import load_study\nstudy = load_study()\n"
        "first = json.loads((study.results / '00_first.json').read_text(encoding='utf-8'))\n"
        "study.save_results({'n': len(first['ids'])}, '01_second')",
    ),
    "02_third": (
        "- `study.yaml`",
        "- `paper/results/02_third.json`",
        "from sqresearch.study import load_study\nstudy = load_study()\n"
        "study.save_results({'seed': study.seed}, '02_third')",
    ),
}


def _study(folder: Path) -> Path:
    for name in ("study.yaml", "instrument.yaml", "data/raw", "data/codebook.yaml"):
        source, target = ROOT / name, folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)
    (folder / "notebooks").mkdir()
    for name, (reads, writes, code) in CODE.items():
        notebook = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_markdown_cell(HEAD.format(reads=reads, writes=writes)),
                nbformat.v4.new_code_cell(code),
            ]
        )
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(notebook, folder / "notebooks" / f"{name}.ipynb")
    return folder / "study.yaml"


def _outputs(folder: Path) -> dict[str, bytes]:
    paper = folder / "paper"
    files = [*paper.glob("results/0*.json"), paper / "chapter.tex", paper / "main.docx"]
    return {p.relative_to(paper).as_posix(): p.read_bytes() for p in files}


@pytest.mark.slow
def test_rebuild_runs_only_what_changed_and_writes_the_same_bytes(tmp_path):
    config = _study(tmp_path)
    lines: list[str] = []
    first = build(config, pdf=False, check=False, jobs=2, log=lines.append)
    assert [p.stem for p in first["notebooks"]] == list(CODE)
    assert first["skipped"] == []
    cold = _outputs(tmp_path)

    began = time.perf_counter()
    lines.clear()
    again = build(config, pdf=False, check=False, log=lines.append)
    assert time.perf_counter() - began < 10
    assert again["notebooks"] == [] and again["skipped"] == list(CODE)
    assert "[1/3] 00_first up to date, skipped" in lines
    assert _outputs(tmp_path) == cold

    # editing a hypothesis reruns the notebook that reads the hypotheses; the one that
    # reads its result reruns only when the result changed (the ids did not)
    instrument = tmp_path / "instrument.yaml"
    original = instrument.read_text(encoding="utf-8")
    instrument.write_text(
        original.replace("has a positive effect on sense of belonging.",
                         "raises the sense of belonging.", 1),
        encoding="utf-8",
    )  # fmt: skip
    edited = build(config, pdf=False, check=False)
    assert [p.stem for p in edited["notebooks"]] == ["00_first"]
    assert edited["skipped"] == ["01_second", "02_third"]
    instrument.write_text(original, encoding="utf-8")
    build(config, pdf=False, check=False)
    assert _outputs(tmp_path) == cold

    # a deleted output makes its notebook run again; --force runs everything
    (tmp_path / "paper" / "results" / "02_third.json").unlink()
    assert [p.stem for p in build(config, pdf=False, check=False)["notebooks"]] == ["02_third"]
    forced = build(config, pdf=False, check=False, force=True)
    assert [p.stem for p in forced["notebooks"]] == list(CODE)
    assert _outputs(tmp_path) == cold


def _one_cell_notebook(folder):
    import nbformat

    path = folder / "00_x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 6 * 7\nx")]), path)
    (folder / "study.yaml").write_text("", encoding="utf-8")
    return path


def test_a_kernel_that_dies_before_its_first_cell_is_started_again(tmp_path, monkeypatch):
    """Kernels starting at once can lose the race for their TCP ports (ZMQError: Address
    already in use) and die before replying to kernel_info: the notebook runs again."""
    import nbclient
    import nbformat

    from sqresearch.build import execute_notebook

    path, real, calls = _one_cell_notebook(tmp_path), nbclient.NotebookClient.execute, []

    def flaky(self, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(self, **kwargs)

    monkeypatch.setattr(nbclient.NotebookClient, "execute", flaky)
    executed = execute_notebook(path, tmp_path / "study.yaml", tmp_path / "out")
    assert len(calls) == 2
    cell = nbformat.read(executed, as_version=4).cells[0]
    assert cell.outputs[0]["data"]["text/plain"] == "42"


def test_a_kernel_that_dies_after_running_a_cell_is_not_run_again(tmp_path, monkeypatch):
    import nbclient

    from sqresearch.build import execute_notebook

    path, calls = _one_cell_notebook(tmp_path), []

    def dies_midway(self, **kwargs):
        calls.append(1)
        self.nb.cells[0].execution_count = 1
        raise nbclient.exceptions.DeadKernelError("Kernel died")

    monkeypatch.setattr(nbclient.NotebookClient, "execute", dies_midway)
    with pytest.raises(nbclient.exceptions.DeadKernelError):
        execute_notebook(path, tmp_path / "study.yaml", tmp_path / "out")
    assert len(calls) == 1
