r"""What each notebook of a study reads and writes, and whether it must run again.

Every numbered notebook lists, in its first (markdown) cell, the files it
reads and writes, one bullet each, names in backticks::

    Files read · 读入的文件:
    - `study.yaml`, `instrument.yaml` (the questionnaire)
    - `instrument.yaml#hypotheses` (the hypotheses)
    - `data/processed/` (from 01)
    - `paper/results/04_cfa.json` (from 04)

    Files written · 写出的文件:
    - `paper/tables/06_regression_<Y>.tex`, `.docx`

A name read is one of

* ``study.yaml``: the study's settings as resolved (language, seed, resample
  counts, including the ``SQRESEARCH_*`` overrides, method, paths);
* ``instrument.yaml``: the questionnaire part of the instrument (everything
  but its ``hypotheses``), and ``instrument.yaml#hypotheses``: the hypotheses
  alone, so that editing a hypothesis reruns only the notebooks that test
  hypotheses;
* ``data.raw``, ``data.codebook``, ``pilot``: the files the config names;
* a path in the study folder (``data/processed/`` is the processed folder,
  ``paper/...`` the paper folder, wherever the config puts them); a folder
  stands for every file in it.

A notebook is *up to date* when the SHA-256 of each thing it reads, of the
notebook itself and of the package (its version and source files) equal
those recorded when it last ran (``build/stamps/NN.json``), and every file it
wrote is still there unchanged.  A notebook whose inputs include another's
outputs runs after it; whether it then runs again is decided by the content
of those outputs, so an upstream notebook that ran again but wrote the same
bytes does not force the ones downstream to run.  A notebook without a
``Files read`` list runs on every build.

Examples
--------
>>> cell = "Files read:\n- `study.yaml`\n- `data/processed/` (from 01)\n\nFiles written:\n- `paper/tables/02_x.tex`, `.docx`"
>>> listed(cell, "Files read"), listed(cell, "Files written")
(['study.yaml', 'data/processed/'], ['paper/tables/02_x.tex'])
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqresearch.paths import PACKAGE

#: Output folders of the paper whose ``NN_*`` files belong to notebook NN.
PAPER_OUTPUTS = ("tables", "figures", "text", "results")

_TOKEN = re.compile(r"`([^`]+)`")


def listed(markdown: str, header: str) -> list[str]:
    """The names in backticks of the bullets under ``header`` (suffix-only names like ``.docx`` left out)."""
    names: list[str] = []
    inside = False
    for line in markdown.splitlines():
        text = line.strip()
        if text.startswith(header):
            inside = True
            continue
        if inside:
            if not text and names:
                break  # a blank line ends the list; continuation lines belong to their bullet
            names += [t for t in _TOKEN.findall(text) if not t.startswith(".") and "\\" not in t]
    return names


@dataclass(frozen=True)
class Step:
    """One notebook of the build: its file, number, declared reads (``None``: not declared) and writes."""

    path: Path
    reads: tuple[str, ...] | None
    writes: tuple[str, ...]

    @property
    def number(self) -> str:
        return self.path.stem[:2]

    @property
    def name(self) -> str:
        return self.path.stem


def read_step(path: Path) -> Step:
    """The :class:`Step` of a notebook (``.ipynb``), from its first markdown cell.

    Read as JSON: importing nbformat costs the build process about 2 s (see
    :func:`sqresearch.build.run_notebook`), a no-change rebuild a third of its time.
    """
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])  # nbformat 4 JSON
    first = next(("".join(c["source"]) for c in cells if c.get("cell_type") == "markdown"), "")
    reads = listed(first, "Files read") if "Files read" in first else None
    writes = tuple(name for name in listed(first, "Files written") if "/" in name)
    return Step(path, None if reads is None else tuple(reads), writes)


def _pattern(name: str) -> str:
    """A written name as a glob: placeholders ``<GROUP>`` and ``…`` match anything."""
    return re.sub(r"<[^>]*>|…", "*", name)


def upstream(steps: list[Step]) -> dict[str, set[str]]:
    """For each step's number, the numbers of the earlier steps whose outputs it reads.

    A step that declares no reads depends on every earlier step.
    """
    deps: dict[str, set[str]] = {}
    for i, step in enumerate(steps):
        earlier = steps[:i]
        if step.reads is None:
            deps[step.number] = {s.number for s in earlier}
            continue
        found = set()
        for other in earlier:
            for read in step.reads:
                for written in other.writes:
                    pattern = _pattern(written)
                    if (
                        read.startswith(written) or written.startswith(read)
                        or fnmatch.fnmatch(read, pattern)
                    ):  # fmt: skip
                        found.add(other.number)
        deps[step.number] = found
    return deps


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or of a folder's files (names and bytes); ``None`` when absent."""
    digest = hashlib.sha256()
    if path.is_file():
        digest.update(path.read_bytes())
    elif path.is_dir():
        for item in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(item.relative_to(path).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(item.read_bytes()).digest())
    else:
        return None
    return digest.hexdigest()


def _json_digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def package_digest() -> str:
    """The package's version and the SHA-256 of its source and data files (not the templates:
    a notebook's own bytes are recorded apart)."""
    from sqresearch import __version__

    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        parts = path.relative_to(PACKAGE).parts
        if path.suffix in (".py", ".yaml", ".bib") and not {"__pycache__", "templates"} & set(
            parts
        ):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def resolve(study, name: str) -> Path | None:
    """The file or folder a read name stands for (``None`` for a pilot the study has not)."""
    named = {"data.raw": study.raw, "data.codebook": study.codebook, "pilot": study.pilot}
    if name in named:
        return named[name]
    if name.startswith("data/processed"):
        return study.processed / name.removeprefix("data/processed").strip("/")
    if name.startswith("paper/"):
        return study.paper / name.removeprefix("paper/")
    return study.root / name


def input_digests(study, step: Step) -> dict[str, str | None]:
    """SHA-256 of everything ``step`` reads, by name."""
    from sqresearch.io.config import read_yaml

    digests: dict[str, str | None] = {}
    instrument = read_yaml(study.instrument, what="instrument") if study.instrument else {}
    for name in step.reads or ():
        if name == "study.yaml":
            settings = {
                **study.config,
                "seed": study.seed,
                "bootstrap": study.bootstrap,
                "sem_bootstrap": study.sem_bootstrap,
            }
            digests[name] = _json_digest(settings)
        elif name == "instrument.yaml":
            digests[name] = _json_digest({k: v for k, v in instrument.items() if k != "hypotheses"})
        elif name == "instrument.yaml#hypotheses":
            digests[name] = _json_digest(instrument.get("hypotheses"))
        else:
            path = resolve(study, name)
            digests[name] = None if path is None else file_digest(path)
    return digests


def output_files(study, step: Step) -> list[Path]:
    """The files ``step`` wrote: its ``NN_*`` files in the paper, its chapter log, and what it lists."""
    found = {
        p
        for sub in PAPER_OUTPUTS
        for p in (study.paper / sub).glob(f"{step.number}_*")
        if p.is_file()
    }
    log = study.paper / "chapter" / f"{step.number}.json"
    if log.is_file():
        found.add(log)
    for name in step.writes:
        path = resolve(study, name)
        if path is None:
            continue
        if path.is_dir():
            found |= {p for p in path.rglob("*") if p.is_file()}
        else:
            found |= {p for p in path.parent.glob(_pattern(path.name)) if p.is_file()}
    return sorted(found)


def stamp_path(study, step: Step) -> Path:
    return study.root / "build" / "stamps" / f"{step.name}.json"


def stamp(study, step: Step, inputs: dict, package: str) -> dict:
    """The record of a run: what it read, the notebook and package, and what it wrote."""
    outputs = {
        p.relative_to(study.root).as_posix(): file_digest(p) for p in output_files(study, step)
    }
    return {
        "inputs": inputs,
        "notebook": file_digest(step.path),
        "package": package,
        "outputs": outputs,
    }


def up_to_date(study, step: Step, inputs: dict, package: str) -> bool:
    """Whether ``step`` need not run: declared reads, same inputs, notebook and package, outputs intact."""
    path = stamp_path(study, step)
    if step.reads is None or not path.is_file():
        return False
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    if old.get("inputs") != inputs or old.get("package") != package:
        return False
    if old.get("notebook") != file_digest(step.path):
        return False
    for name, digest in old.get("outputs", {}).items():
        file = study.root / name
        if file_digest(file) != digest:
            return False
    return bool(old.get("outputs"))


def remove_outputs(study, step: Step) -> None:
    """Delete what ``step`` wrote in the paper, so a run leaves exactly what a first build would."""
    for sub in PAPER_OUTPUTS:
        for path in (study.paper / sub).glob(f"{step.number}_*"):
            if path.is_file():
                path.unlink()
    (study.paper / "chapter" / f"{step.number}.json").unlink(missing_ok=True)
