"""The construct library: constructs, items, scales, demographics and frameworks.

Stored as YAML data beside this module and validated on load:

- ``scales.yaml``: response scales (5- or 7-point, zh/en anchors);
- ``catalogue.yaml``: constructs (code, names, definitions, seed source,
  adapted-from reference and BibTeX key, 3-6 bilingual items with reverse
  flags);
- ``demographics.yaml``: GENDER AGE EDU INCOME TENURE STAGE with integer codes;
- ``instrument.yaml``: title, consent, instructions, screening question,
  attention check ATT1;
- ``frameworks.yaml``: frameworks with hypotheses H1...Hn;
- ``references.bib``: the references the constructs and the methods cite.

Examples
--------
>>> from sqresearch.constructs import get_framework
>>> fw = get_framework()          # the default study, tea_brand_community
>>> fw.controls
['GENDER', 'AGE', 'EDU', 'INCOME', 'TENURE']
"""

from sqresearch.constructs.catalogue import (
    Catalogue,
    Construct,
    Demographic,
    Instrument,
    Item,
    Level,
    Scale,
)
from sqresearch.constructs.framework import Framework, Hypothesis
from sqresearch.constructs.load import (
    DEFAULT_FRAMEWORK,
    get_framework,
    list_frameworks,
    load_catalogue,
)
from sqresearch.paths import CONSTRUCTS_DIR

REFERENCES_BIB = CONSTRUCTS_DIR / "references.bib"

__all__ = [
    "Catalogue",
    "Construct",
    "DEFAULT_FRAMEWORK",
    "Demographic",
    "Framework",
    "Hypothesis",
    "Instrument",
    "Item",
    "Level",
    "REFERENCES_BIB",
    "Scale",
    "get_framework",
    "list_frameworks",
    "load_catalogue",
]
