"""Read the YAML files a student writes (study, instrument, codebook, power config).

One strict loader for every config file of the package:

- PyYAML's safe loader (its C version when built);
- a key given twice in one mapping is an error (PyYAML silently keeps the
  last one, so ``同意: 4`` followed by ``同意: 2`` would change the data);
- aliases are limited: a document whose aliases would expand to more than
  :data:`MAX_NODES` nodes (a "billion laughs" document) is refused before it
  is built, in time linear in the file's size;
- every error is one line naming the file, the line and the problem.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "c.yaml"
>>> _ = path.write_text("a: 1\\na: 2\\n", encoding="utf-8")
>>> try:
...     read_yaml(path)
... except InputError as exc:
...     print(str(exc).split(": ", 1)[1])
line 2: duplicate key 'a' (each key may appear once)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sqresearch.errors import InputError

#: Largest number of nodes a document may expand to through its aliases.
MAX_NODES = 100_000


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(key, line)
        self.key, self.line = key, line


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader, refusing duplicate mapping keys."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key: let PyYAML report it
            break
        if duplicate:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def _expanded_size(root: yaml.Node) -> int:
    """Number of nodes ``root`` expands to, aliases counted at every use (memoised, iterative)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        if done:
            total = 1 + sum(sizes[id(child)] for child in children)
            sizes[id(node)] = min(total, MAX_NODES + 1)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def read_yaml(path: str | Path, *, what: str = "file", mapping: bool = True) -> Any:
    """Parse one YAML config file strictly.

    Parameters
    ----------
    path : str or Path
        The file (UTF-8, a BOM allowed).
    what : str
        What the file is, for the not-found message ("study config", "codebook").
    mapping : bool
        Require a mapping at the top level (an empty file gives ``{}``).

    Returns
    -------
    The parsed document.

    Raises
    ------
    InputError
        Missing file, not UTF-8, invalid YAML, a duplicate key, an alias bomb,
        or (with ``mapping``) a top level that is not a mapping.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{what} not found", file=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte {exc.start})", file=path, hint="save the file as UTF-8"
        ) from None
    try:
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None and _expanded_size(node) > MAX_NODES:
                raise InputError(
                    f"the document's aliases expand to more than {MAX_NODES:,} values",
                    file=path,
                    hint="write the values out; anchors (&) and aliases (*) are not needed here",
                )
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _DuplicateKey as exc:
        raise InputError(
            f"line {exc.line}: duplicate key {exc.key!r}", file=path, hint="each key may appear once"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).replace("\n", " ")
        raise InputError(f"{where}invalid YAML ({problem})", file=path) from None
    if mapping:
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise InputError("expected a mapping of keys to values at the top level", file=path)
    return data
