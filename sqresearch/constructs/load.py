"""Reading the construct library: :func:`load_catalogue`, :func:`get_framework`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqresearch.constructs.catalogue import (
    Catalogue,
    parse_constructs,
    parse_demographics,
    parse_instrument,
    parse_scales,
    read_yaml,
)
from sqresearch.constructs.framework import Framework, parse_frameworks
from sqresearch.errors import InputError
from sqresearch.paths import CONSTRUCTS_DIR

FILES = ("scales.yaml", "demographics.yaml", "catalogue.yaml", "instrument.yaml", "frameworks.yaml")
DEFAULT_FRAMEWORK = "tea_brand_community"


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate the construct library.

    Parameters
    ----------
    path : str or Path, optional
        A folder holding ``scales.yaml``, ``demographics.yaml``,
        ``catalogue.yaml``, ``instrument.yaml`` and ``frameworks.yaml``
        (default: the library shipped in ``sqresearch/constructs``; that one is
        read once and cached, so treat the result as read-only).

    Returns
    -------
    Catalogue
        ``constructs`` (by code), ``scales``, ``demographics``,
        ``attention_checks``, ``instrument`` and ``frameworks``.

    Raises
    ------
    InputError
        Naming the file and the offending code and field: duplicate codes or
        keys, missing Chinese or English wording, unknown scale, a latent
        construct with fewer than 3 or more than 6 items, an unknown
        construct in a framework or hypothesis.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> cat.constructs["CVA"].name("en")
    'Community customer value'
    >>> cat.item("NBL4").reverse, cat.item("ATT1").expected
    (True, 4)
    """
    if path is None:
        return _default_catalogue()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_catalogue() -> Catalogue:
    return _load(CONSTRUCTS_DIR)


def _load(folder: Path) -> Catalogue:
    if not folder.is_dir():
        raise InputError(
            "not a folder of catalogue YAML files",
            file=folder,
            hint=f"it must hold {', '.join(FILES)}",
        )
    raw = {name: read_yaml(folder / name) for name in FILES}
    scales = parse_scales(raw["scales.yaml"], folder / "scales.yaml")
    demographics = parse_demographics(raw["demographics.yaml"], folder / "demographics.yaml")
    constructs = parse_constructs(
        raw["catalogue.yaml"], folder / "catalogue.yaml", scales, demographics
    )
    codes = set(constructs) | {item.code for c in constructs.values() for item in c.items}
    instrument, checks = parse_instrument(
        raw["instrument.yaml"], folder / "instrument.yaml", scales, codes
    )
    catalogue = Catalogue(constructs, scales, demographics, checks, instrument, {}, folder)
    catalogue.frameworks.update(
        parse_frameworks(raw["frameworks.yaml"], folder / "frameworks.yaml", catalogue)
    )
    return catalogue


def list_frameworks(catalogue: Catalogue | None = None) -> list[str]:
    """Names of the frameworks, in the order ``frameworks.yaml`` defines them.

    Examples
    --------
    >>> "tea_brand_community" in list_frameworks()
    True
    """
    return list((catalogue or load_catalogue()).frameworks)


def get_framework(name: str = DEFAULT_FRAMEWORK, catalogue: Catalogue | None = None) -> Framework:
    """The framework called ``name`` (default: the shipped study, ``tea_brand_community``).

    Examples
    --------
    >>> get_framework("maslow_belonging").constructs
    ['NBL', 'SOB', 'STAGE', 'ENG', 'LOY']
    """
    frameworks = (catalogue or load_catalogue()).frameworks
    if name not in frameworks:
        raise InputError(
            f"unknown framework {name!r}", value=name, hint=f"one of: {', '.join(frameworks)}"
        )
    return frameworks[name]
