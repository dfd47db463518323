"""The reproducible build: notebooks in order, then the paper.

``sqresearch build study.yaml`` (``make thesis``) executes the study's numbered
notebooks headless with nbclient, in order, each in the study's folder with
``SQRESEARCH_STUDY`` pointing at its config; records the package versions and
the data checksums; and compiles ``paper/main.tex`` with ``latexmk -xelatex``
when TeX is installed (when it is not, it says how to install it and stops
cleanly after the tables and figures).

Notebooks are stored without outputs; executed copies go to ``build/``, which
is not committed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from sqresearch.errors import SqresearchError
from sqresearch.paths import TEMPLATES
from sqresearch.report.chapter import write_chapter
from sqresearch.study import Study, load_study
from sqresearch.versions import RECORDED_PACKAGES

TEX_HINT = (
    "TeX is not installed, so paper/main.pdf was not built (tables and figures are done). "
    "Install TeX Live with Chinese support: on Debian/Ubuntu `sudo apt-get install "
    "texlive-xetex texlive-lang-chinese texlive-latex-extra latexmk fonts-noto-cjk`; on macOS "
    "MacTeX; on Windows TeX Live or MiKTeX. Then run the build again."
)


class BuildError(SqresearchError):
    """A notebook or the LaTeX run failed; the message says which and where the log is."""


def notebooks(study: Study) -> list[Path]:
    """The study's notebooks, in the order they run (``NN_name.ipynb``).

    A study's own ``notebooks/`` folder (written by ``sqresearch init``) when
    it has one, else the package's templates.
    """
    own = sorted((study.root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if own:
        return own
    folder = Path(str(TEMPLATES / "notebooks"))
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_info(study: Study) -> dict:
    """What a build depends on: package versions and data checksums (no clock time).

    Examples
    --------
    >>> from sqresearch.paths import STUDY_CONFIG
    >>> info = build_info(load_study(STUDY_CONFIG))
    >>> sorted(info)
    ['data', 'packages', 'python', 'study']
    """
    versions = {}
    for name in RECORDED_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    data = {}
    for key, path in (("raw", study.raw), ("codebook", study.codebook)):
        data[key] = {
            "path": Path(os.path.relpath(path, study.root)).as_posix(),
            "sha256": sha256(path) if path.is_file() else None,
        }
    return {
        "study": study.name,
        "python": platform.python_version(),
        "packages": versions,
        "data": data,
    }


def _failure(notebook, path: Path, executed: Path) -> str:
    """One short message for a failed notebook: which cell, which error, where the record is."""
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                value = " ".join(str(output.get("evalue", "")).split())
                first = next((line for line in cell.source.splitlines() if line.strip()), "")
                return (
                    f"notebook {path.name} failed in cell {index + 1} ({first.strip()[:60]!r}): "
                    f"{output.get('ename', 'Error')}: {value} (executed notebook: {executed})"
                )
    return f"notebook {path.name} failed (executed notebook: {executed})"


#: Warnings a notebook printed (one ``Category: message`` per line of its stderr).
_WARNING = re.compile(r"(\w+Warning): (.+)")


def notebook_warnings(notebook) -> list[str]:
    """``Category: message`` of every warning the executed notebook printed, in order."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                for line in str(output.get("text", "")).splitlines():
                    match = _WARNING.search(line)
                    if match:
                        found.append(f"{match[1]}: {match[2].strip()}")
    return list(dict.fromkeys(found))


def execute_notebook(path: Path, study_config: Path, out_dir: Path, timeout: int = 1800) -> Path:
    """Run one notebook headless in its study's folder; save the executed copy in ``out_dir``.

    Raises
    ------
    BuildError
        One line: the notebook, the cell, the error and the path of the
        executed copy (saved also on failure), never nbclient's traceback.
    """
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / path.name
    previous = os.environ.get("SQRESEARCH_STUDY")
    os.environ["SQRESEARCH_STUDY"] = str(study_config)
    try:
        client = nbclient.NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(study_config.parent)}},
        )
        try:
            client.execute()
        except nbclient.exceptions.CellExecutionError:
            nbformat.write(notebook, executed)
            raise BuildError(_failure(notebook, path, executed)) from None
    finally:
        if previous is None:
            os.environ.pop("SQRESEARCH_STUDY", None)
        else:
            os.environ["SQRESEARCH_STUDY"] = previous
    nbformat.write(notebook, executed)
    return executed


def compile_paper(study: Study) -> Path | None:
    """``latexmk -xelatex main.tex`` in the paper folder; ``None`` when TeX is missing."""
    if not (shutil.which("latexmk") and shutil.which("xelatex")):
        return None
    main = study.paper / "main.tex"
    if not main.exists():  # a study without its own skeleton uses the package's
        main.write_bytes((TEMPLATES / "paper" / "main.tex").read_bytes())
    command = ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "main.tex"]
    run = subprocess.run(command, cwd=study.paper, capture_output=True, text=True)
    if run.returncode != 0:
        raise BuildError(
            f"latexmk failed on {study.paper / 'main.tex'}; see {study.paper / 'main.log'}"
        )
    return study.paper / "main.pdf"


def build(
    config: str | Path,
    *,
    pdf: bool = True,
    only: list[str] | None = None,
    check: bool = True,
    log: Callable[[str], None] = lambda message: None,
) -> dict:
    """Execute the study's notebooks in order, record the build, compile the paper.

    Parameters
    ----------
    config : str or Path
        The study's ``study.yaml``.
    pdf : bool
        Compile ``paper/main.pdf`` when TeX is present.
    only : list of str, optional
        Run only notebooks whose name starts with one of these prefixes (``["03"]``).
    check : bool
        Run :func:`sqresearch.check.preflight` first and stop, listing every
        problem, when it finds any (before any notebook runs).
    log : callable
        Receives one line per step (the command line prints them on stderr).

    Returns
    -------
    dict
        ``notebooks`` (executed paths), ``pdf`` (path or None), ``info`` (build record).
    """
    config = Path(config).resolve()
    study = load_study(config)
    if check:
        from sqresearch.check import preflight

        checked = preflight(study)
        if not checked.ok:
            for line in checked.messages():
                log(line)
            raise BuildError(
                f"the check found {len(checked.messages())} problem(s) listed above; fix them "
                f"and build again (`sqresearch check {config.name}` lists them)"
            )
    import nbformat

    executed = []
    chosen = [
        path for path in notebooks(study)
        if not only or any(path.name.startswith(prefix) for prefix in only)
    ]  # fmt: skip
    start = time.perf_counter()
    for number, path in enumerate(chosen, 1):
        began = time.perf_counter()
        log(f"[{number}/{len(chosen)}] {path.stem} ...")
        done = execute_notebook(path, config, study.root / "build" / "notebooks")
        executed.append(done)
        log(f"[{number}/{len(chosen)}] {path.stem} done in {time.perf_counter() - began:.1f} s")
        for warning in notebook_warnings(nbformat.read(done, as_version=4)):
            log(f"  {path.stem}: {warning}")
    if not only:  # a partial run leaves the other notebooks' chapter logs as they were
        stale = {p.stem[:2] for p in notebooks(study)}
        for log_file in (study.paper / "chapter").glob("[0-9][0-9].json"):
            if log_file.stem not in stale:
                log_file.unlink()
    write_chapter(study.paper, study.language)
    log(f"notebooks done in {time.perf_counter() - start:.1f} s; chapter written")
    from sqresearch.cli.jsonout import dumps

    info = build_info(study)
    study.results.mkdir(parents=True, exist_ok=True)
    (study.results / "build_info.json").write_text(dumps(info) + "\n", encoding="utf-8")
    result_pdf = None
    if pdf:
        log("compiling paper/main.tex")
        result_pdf = compile_paper(study)
        if result_pdf is None:
            log(TEX_HINT)
    return {"notebooks": executed, "pdf": result_pdf, "info": info}
