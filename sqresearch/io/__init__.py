"""io stage: read survey exports and data files; never modify them.

``read_table(path)`` reads any data file (CSV in any usual encoding, xlsx,
.sav, .dta) into a DataFrame; ``read_survey(path)`` recognises the platform
(问卷星, Credamo, Qualtrics) and returns a :class:`RawSurvey` with metadata.
"""

from sqresearch.io.credamo import read_credamo
from sqresearch.io.formats import decode_text, sha256_file, sniff_format
from sqresearch.io.qualtrics import read_qualtrics
from sqresearch.io.survey import detect_platform, read_survey
from sqresearch.io.tables import (
    RawSurvey,
    ReadWarning,
    read_file,
    read_spss,
    read_stata,
    read_table,
)
from sqresearch.io.wjx import read_wjx

__all__ = [
    "RawSurvey",
    "ReadWarning",
    "decode_text",
    "detect_platform",
    "read_credamo",
    "read_file",
    "read_qualtrics",
    "read_spss",
    "read_stata",
    "read_survey",
    "read_table",
    "read_wjx",
    "sha256_file",
    "sniff_format",
]
