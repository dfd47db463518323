"""The packages whose versions a result depends on, and their installed versions.

One list serves ``sqresearch --version --verbose`` and the ``build_info.json``
that every build writes (:func:`sqresearch.build.build_info`): the numbers,
tables and figures of a thesis can be traced to these versions.

Examples
--------
>>> RECORDED_PACKAGES[0]
'sqresearch'
>>> versions = package_versions()
>>> list(versions) == list(RECORDED_PACKAGES)
True
>>> package_versions(["no-such-package-xyz"])
{'no-such-package-xyz': None}
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable

#: Distribution names (as pip knows them) recorded with every build, in print order:
#: the package, its statistical dependencies, and what draws its figures and writes its tables.
RECORDED_PACKAGES = (
    "sqresearch", "numpy", "scipy", "pandas", "statsmodels", "semopy", "factor_analyzer",
    "scikit-learn", "matplotlib", "seaborn", "pylopdf-fonts-zh-cn", "python-docx", "openpyxl",
)


def package_versions(names: Iterable[str] = RECORDED_PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution in ``names`` (``None`` when not installed).

    Parameters
    ----------
    names : iterable of str
        Distribution names; default :data:`RECORDED_PACKAGES`.

    Returns
    -------
    dict
        Name → version string or ``None``, in the order of ``names``.
    """
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions
