"""The reproducible build: the notebooks that are out of date, then the chapter and the paper.

``sqresearch build study.yaml`` (``make thesis``) executes the study's numbered
notebooks headless with nbclient, each in the study's folder with
``SQRESEARCH_STUDY`` pointing at its config; a notebook runs only when what it
reads changed since it last ran (:mod:`sqresearch.steps`), after the
notebooks it reads from, and independent notebooks run at the same time on
the available cores (``--jobs``; ``--force`` runs all).  The build then writes
the chapter (``paper/chapter.tex`` and ``paper/main.docx``), records the
package versions and the data checksums, and compiles ``paper/main.tex`` with
``latexmk -xelatex`` when TeX is installed (when it is not, it says how to
install it and stops cleanly after the tables and figures).

Progress goes to ``log``: ``[i/n] name ...`` when a notebook starts,
``[i/n] name done in s`` with its warnings, ``[i/n] name up to date,
skipped``; a failure is one line naming the notebook, the cell, the error and
the executed copy.

Notebooks are stored without outputs; executed copies go to ``build/``
(with the run records, ``build/stamps/``), which is not committed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
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
from sqresearch.report.chapter import write_chapter, write_chapter_docx
from sqresearch.steps import read_step
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


#: How many times a notebook's kernel is started when it dies before running a cell.
KERNEL_STARTS = 3


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

    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / path.name
    attempt = 0
    while True:
        attempt += 1
        notebook = nbformat.read(path, as_version=4)
        client = nbclient.NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(study_config.parent)}},
            # the kernel's own log (a TCP warning per kernel) is noise in the build log;
            # the notebook's errors and warnings come through its outputs
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
        try:  # the kernel gets the study through its environment
            client.execute(env={**os.environ, "SQRESEARCH_STUDY": str(study_config)})
        except nbclient.exceptions.CellExecutionError:
            nbformat.write(notebook, executed)
            raise BuildError(_failure(notebook, path, executed)) from None
        except (RuntimeError, nbclient.exceptions.DeadKernelError):
            # A kernel that dies before its first cell most often lost the race for the
            # TCP ports jupyter_client chose for it (several kernels starting at once, on
            # this machine or from other builds): start it again; nothing has run yet.
            ran = any(c.get("execution_count") for c in notebook.cells if c.cell_type == "code")
            if ran or attempt == KERNEL_STARTS:
                raise
            continue
        nbformat.write(notebook, executed)
        return executed


def run_notebook(path: Path, study_config: Path, out_dir: Path) -> tuple[Path, list[str]]:
    """:func:`execute_notebook` in a build's worker process: the executed copy and the
    warnings it printed (:func:`notebook_warnings`).

    The worker is a fresh interpreter of the build's own, so it declines the
    optional ``rfc3987_syntax`` package: jsonschema (imported by nbformat) loads it
    when present, and it compiles a grammar at import (about 2 s of CPU per
    process) for IRI formats that notebook validation never checks.
    """
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)  # import fails; jsonschema goes without
    import nbformat

    executed = execute_notebook(path, study_config, out_dir)
    return executed, notebook_warnings(nbformat.read(executed, as_version=4))


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
    force: bool = False,
    jobs: int | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> dict:
    """Run the study's notebooks that are out of date, write the chapter, compile the paper.

    Each notebook runs when something it reads changed since it last ran (see
    :mod:`sqresearch.steps`), after the notebooks whose outputs it reads;
    notebooks that do not depend on each other run at the same time, up to
    ``jobs`` at once.  The chapter (``paper/chapter.tex`` and
    ``paper/main.docx``) is written from the notebooks' chapter logs, and
    ``latexmk`` recompiles the PDF only when a file it reads changed.  The
    outputs are the same bytes whichever notebooks ran.

    Parameters
    ----------
    config : str or Path
        The study's ``study.yaml``.
    pdf : bool
        Compile ``paper/main.pdf`` when TeX is present.
    only : list of str, optional
        Run only notebooks whose name starts with one of these prefixes
        (``["03"]``), whether or not they are up to date.
    check : bool
        Run :func:`sqresearch.check.preflight` first and stop, listing every
        problem, when it finds any (before any notebook runs).
    force : bool
        Run every notebook, up to date or not.
    jobs : int, optional
        Notebooks run at the same time; default the number of cores.
    log : callable
        Receives one line per step (the command line prints them on stderr):
        ``[i/n] name ...`` when a notebook starts, ``[i/n] name done in s``,
        ``[i/n] name up to date, skipped``, and the notebook's warnings.

    Returns
    -------
    dict
        ``notebooks`` (executed paths), ``skipped`` (names of the notebooks
        that were up to date), ``pdf`` (path or None), ``docx`` (path),
        ``info`` (build record).
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
    all_steps = [read_step(path) for path in notebooks(study)]
    chosen = [
        s for s in all_steps if not only or any(s.name.startswith(prefix) for prefix in only)
    ]
    start = time.perf_counter()
    ran, skipped = _run_steps(
        study, config, chosen, force=force or bool(only), jobs=jobs or os.cpu_count() or 1, log=log
    )
    if not only:  # a partial run leaves the other notebooks' chapter logs as they were
        numbers = {s.number for s in all_steps}
        for log_file in (study.paper / "chapter").glob("[0-9][0-9].json"):
            if log_file.stem not in numbers:
                log_file.unlink()
    chapter_tex = write_chapter(study.paper, study.language)
    docx = write_chapter_docx(study.paper, study.language)
    log(
        f"notebooks done in {time.perf_counter() - start:.1f} s ({len(ran)} run, "
        f"{len(skipped)} up to date); chapter written ({chapter_tex.name}, {docx.name})"
    )
    from sqresearch.jsondoc import dumps

    info = build_info(study)
    study.results.mkdir(parents=True, exist_ok=True)
    _write_if_changed(study.results / "build_info.json", dumps(info) + "\n")
    result_pdf = None
    if pdf:
        log("compiling paper/main.tex")
        result_pdf = compile_paper(study)
        if result_pdf is None:
            log(TEX_HINT)
    return {"notebooks": ran, "skipped": skipped, "pdf": result_pdf, "docx": docx, "info": info}


def _write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it (its time stamp then stays)."""
    if not (path.is_file() and path.read_text(encoding="utf-8") == text):
        path.write_text(text, encoding="utf-8")


def _run_steps(
    study: Study, config: Path, steps: list, *, force: bool, jobs: int, log: Callable[[str], None]
) -> tuple[list[Path], list[str]]:
    """Run the steps that are out of date, each after those it reads from, ``jobs`` at once."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from sqresearch import steps as st

    package = st.package_digest()
    deps = st.upstream(steps)
    names = {s.number for s in steps}
    position = {s.number: i for i, s in enumerate(steps, 1)}
    total = len(steps)
    pending, finished, running = list(steps), set(), {}
    ran: list[Path] = []
    skipped: list[str] = []
    out_dir = study.root / "build" / "notebooks"

    def start(step, inputs, tag):
        """Clear the step's old outputs here; its notebook runs in a worker process (nbclient's
        event loop is not safe in threads: a kernel could die unnoticed)."""
        log(f"{tag} ...")
        st.remove_outputs(study, step)
        st.stamp_path(study, step).unlink(missing_ok=True)
        return pool.submit(run_notebook, step.path, config, out_dir)

    def stamp(step, inputs):
        record = st.stamp(study, step, inputs, package)
        st.stamp_path(study, step).parent.mkdir(parents=True, exist_ok=True)
        st.stamp_path(study, step).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")

    failure: BuildError | None = None
    context = multiprocessing.get_context("spawn")  # a fresh interpreter per worker, on every OS
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
        while pending or running:
            progressed = True
            while progressed and failure is None:
                progressed = False
                for step in list(pending):
                    if not (deps[step.number] & names) <= finished:
                        continue
                    pending.remove(step)
                    progressed = True
                    tag = f"[{position[step.number]}/{total}] {step.name}"
                    inputs = st.input_digests(study, step)
                    if not force and st.up_to_date(study, step, inputs, package):
                        log(f"{tag} up to date, skipped")
                        skipped.append(step.name)
                        finished.add(step.number)
                        continue
                    running[start(step, inputs, tag)] = (step, tag, inputs, time.perf_counter())
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: position[running[f][0].number]):
                step, tag, inputs, began = running.pop(future)
                try:
                    executed, warnings = future.result()
                    seconds = time.perf_counter() - began
                    stamp(step, inputs)
                except BuildError as exc:
                    failure = failure or exc
                    pending.clear()  # start nothing new; let the running notebooks finish
                    continue
                finished.add(step.number)
                ran.append(executed)
                log(f"{tag} done in {seconds:.1f} s")
                for warning in warnings:
                    log(f"  {step.name}: {warning}")
    if failure is not None:
        raise failure
    ran.sort(key=lambda path: path.name)
    return ran, sorted(skipped)
