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
import shutil
import subprocess
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


def execute_notebook(path: Path, study_config: Path, out_dir: Path, timeout: int = 1800) -> Path:
    """Run one notebook headless in its study's folder; save the executed copy in ``out_dir``."""
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
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
        except nbclient.exceptions.CellExecutionError as exc:
            raise BuildError(f"notebook {path.name} failed:\n{exc}") from None
    finally:
        if previous is None:
            os.environ.pop("SQRESEARCH_STUDY", None)
        else:
            os.environ["SQRESEARCH_STUDY"] = previous
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / path.name
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
    log : callable
        Receives one line per step (the command line prints them on stderr).

    Returns
    -------
    dict
        ``notebooks`` (executed paths), ``pdf`` (path or None), ``info`` (build record).
    """
    config = Path(config).resolve()
    study = load_study(config)
    from sqresearch.cli.jsonout import dumps

    executed = []
    for path in notebooks(study):
        if only and not any(path.name.startswith(prefix) for prefix in only):
            continue
        log(f"running {path.name}")
        executed.append(execute_notebook(path, config, study.root / "build" / "notebooks"))
    if not only:  # a partial run leaves the other notebooks' chapter logs as they were
        stale = {p.stem[:2] for p in notebooks(study)}
        for log_file in (study.paper / "chapter").glob("[0-9][0-9].json"):
            if log_file.stem not in stale:
                log_file.unlink()
    write_chapter(study.paper, study.language)
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
