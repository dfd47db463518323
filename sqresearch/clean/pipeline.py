"""Raw export + codebook -> an auditable clean data set.

:func:`clean_survey` runs the whole cleaning stage in memory and returns a
:class:`CleanResult`; :meth:`CleanResult.write` writes the processed folder:

- ``clean.csv``: analysed respondents (ID, DURATION, demographics, items as
  answered, attention checks, ``flag_<rule>`` for rules set to "flag");
- ``screening.csv``: every received submission with each rule's statistic,
  flag and the rule that excluded it;
- ``participant_flow.csv``: received -> excluded per reason -> analysed;
- ``cleaning_report.json`` and, given its rendering, ``cleaning_report.md``
  (:func:`sqresearch.report.cleaning.cleaning_report`);
- ``codebook.yaml``: the codebook as applied (rule settings included);
- ``manifest.json``: SHA-256 of the raw file, the codebook and every output.

Text cells that a spreadsheet would run as formulas (= + - @ first) are
written with a leading single quote (:func:`~sqresearch.io.values.neutralise_formulas`).

Personal data never reaches these files: columns that hold it (by header,
platform role or content) are dropped on reading, kept free-text columns are
redacted, and the written folder is scanned (:func:`~sqresearch.clean.pii.scan_path`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sqresearch import __version__
from sqresearch.clean.careless import Screening, screen
from sqresearch.clean.codebook import Codebook
from sqresearch.clean.flow import excluded_by, participant_flow
from sqresearch.clean.missing import MissingReport, missing_report
from sqresearch.clean.pii import find_pii, pii_columns, redact, scan_path
from sqresearch.clean.recode import Issues, apply_codebook
from sqresearch.errors import InputError, SqresearchError
from sqresearch.io import RawSurvey, read_survey, sha256_file
from sqresearch.io.values import neutralise_formulas
from sqresearch.io.wjx import parse_ip

OUTPUT_FILES = (
    "clean.csv",
    "screening.csv",
    "participant_flow.csv",
    "cleaning_report.json",
    "cleaning_report.md",
    "codebook.yaml",
)


class CleaningWarning(UserWarning):
    """Something the cleaning report lists that the user should look at."""


@dataclass
class CleanResult:
    """Everything the cleaning stage found and produced.

    Attributes
    ----------
    data : DataFrame
        Analysed respondents (``excluded_by`` is empty), items as answered.
    coded : DataFrame
        Every received submission, recoded.
    screening : Screening
        Careless-response flags, statistics and the rule table.
    excluded_by : Series
        Per submission, the first rule that excluded it (None: analysed).
    flow : DataFrame
        Participant flow (received, exclusions in rule order, analysed).
    missing : MissingReport
        Missing data among the analysed respondents' items.
    personal_data : DataFrame
        Raw columns dropped as personal data (column, kind, found_by).
    warnings : DataFrame
        Non-fatal issues (check, column, row, value, message).
    raw : RawSurvey
        The export's metadata (its ``data`` no longer holds personal columns).
    codebook : Codebook
    """

    data: pd.DataFrame
    coded: pd.DataFrame
    screening: Screening
    excluded_by: pd.Series
    flow: pd.DataFrame
    missing: MissingReport
    personal_data: pd.DataFrame
    warnings: pd.DataFrame
    raw: RawSurvey
    codebook: Codebook
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def n_received(self) -> int:
        return int(self.flow["n"].iloc[0])

    @property
    def n_analysed(self) -> int:
        return int(self.flow["n"].iloc[-1])

    def _repr_html_(self) -> str:
        return (
            f"<p>{self.n_received} received → {self.n_analysed} analysed "
            f"({len(self.warnings)} warnings; personal-data columns dropped: "
            f"{', '.join(map(str, self.personal_data['column'])) or 'none'})</p>"
            + self.flow._repr_html_()
            + self.screening.rules._repr_html_()
        )

    # ------------------------------------------------------------------
    def report(self) -> dict[str, Any]:
        """The cleaning report as a JSON-ready mapping."""
        raw = self.raw
        mcar = self.missing.mcar
        return {
            "source": {
                "file": raw.path.name,
                "platform": raw.platform,
                "form": raw.form,
                "format": raw.file_format,
                "encoding": raw.encoding,
                "sha256": raw.sha256,
                "rows": self.n_received,
            },
            "codebook": {
                "file": self.codebook.path.name if self.codebook.path else None,
                "framework": self.codebook.framework,
            },
            "received": self.n_received,
            "analysed": self.n_analysed,
            "flow": self.flow.to_dict("records"),
            "rules": self.screening.rules.to_dict("records"),
            "flagged_kept": self.flagged_kept().to_dict("records"),
            "personal_data_dropped": self.personal_data.to_dict("records"),
            "reader_notes": list(raw.notes),
            "missing": {
                "complete_cases": self.missing.complete_cases,
                "n": self.missing.n,
                "by_item": self.missing.by_item.to_dict("records"),
                "by_respondent": self.missing.by_respondent.to_dict("records"),
                "patterns": self.missing.patterns.to_dict("records"),
                "little_mcar": mcar,
                "imputation": "none (listwise for OLS by default; FIML available for SEM)",
            },
            "items_as_answered": True,
            "reverse_keyed": self.codebook.reverse_items(),
            "warnings": self.warnings.drop(columns="severity").to_dict("records"),
        }

    def to_dict(self) -> dict[str, Any]:
        """The ``sqresearch clean --json`` summary (the command adds the files given).

        ``received``, ``analysed``, ``flow``, ``rules``, ``flagged_kept``,
        ``personal_data_dropped``, ``warnings`` (their number; the texts are
        in the cleaning report) and ``outputs`` (the files :meth:`write` wrote).
        """
        return {
            "received": self.n_received,
            "analysed": self.n_analysed,
            "flow": self.flow.to_dict("records"),
            "rules": self.screening.rules.to_dict("records"),
            "flagged_kept": self.flagged_kept().to_dict("records"),
            "personal_data_dropped": self.personal_data.to_dict("records"),
            "warnings": len(self.warnings),
            "outputs": {name: str(path) for name, path in self.outputs.items()},
        }

    def flagged_kept(self) -> pd.DataFrame:
        """Analysed respondents that a rule flagged: ``id`` and the ``rules``, comma-separated."""
        flags = [c for c in self.data.columns if c.startswith("flag_")]
        rows = [
            {"id": row["ID"], "rules": ", ".join(c[5:] for c in flags if row[c] == 1)}
            for row in self.data[["ID", *flags]].to_dict("records")
            if any(row[c] == 1 for c in flags)
        ]
        return pd.DataFrame(rows, columns=["id", "rules"])

    # ------------------------------------------------------------------
    def write(self, out: str | Path, *, report: str | None = None) -> dict[str, Path]:
        """Write the processed folder (see the module docstring) and its manifest.

        Parameters
        ----------
        out : path
            The processed folder (created if missing).
        report : str, optional
            The cleaning report in Markdown, written as ``cleaning_report.md``
            (:func:`sqresearch.report.cleaning.cleaning_report` renders it; the
            cleaning stage renders nothing itself).  Without it no ``.md`` is
            written (an old one is removed).

        Raises
        ------
        SqresearchError
            If a written file still holds personal data (the files are removed).
        """
        from sqresearch.jsondoc import dumps

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        screening = pd.concat(
            [
                self.coded[["ID"]],
                self.excluded_by,
                self.screening.flags.add_prefix("flag_").astype(int),
                self.screening.statistics,
            ],
            axis=1,
        )
        names = [n for n in OUTPUT_FILES if report is not None or n != "cleaning_report.md"]
        paths = {name: out / name for name in names}
        if report is None:
            (out / "cleaning_report.md").unlink(missing_ok=True)
        for name, frame in (
            ("clean.csv", whole_numbers(self.data)),
            ("screening.csv", screening),
            ("participant_flow.csv", self.flow),
        ):  # text that a spreadsheet would run as a formula is written as text
            neutralise_formulas(frame).to_csv(
                paths[name], index=False, encoding="utf-8-sig", lineterminator="\n"
            )
        paths["cleaning_report.json"].write_text(dumps(self.report()) + "\n", encoding="utf-8")
        if report is not None:
            paths["cleaning_report.md"].write_text(report, encoding="utf-8")
        source = (
            f"source codebook: {self.codebook.path.name} (sha256 {sha256_file(self.codebook.path)})"
            if self.codebook.path
            else ""
        )
        self.codebook.save(
            paths["codebook.yaml"], header=f"Codebook as applied by sqresearch clean.\n{source}"
        )
        findings = scan_path(out)
        if not findings.empty:
            for path in paths.values():
                path.unlink(missing_ok=True)
            kinds = ", ".join(sorted(set(findings["kind"])))
            raise SqresearchError(
                f"personal data ({kinds}) found in the cleaned output; nothing was kept: {findings.iloc[0].to_dict()}"
            )
        manifest = {
            "created_by": f"sqresearch {__version__} clean",
            "raw": {
                "path": _relative(self.raw.path, out),
                "sha256": self.raw.sha256,
                "bytes": self.raw.path.stat().st_size,
            },
            "codebook": None
            if self.codebook.path is None
            else {
                "path": _relative(self.codebook.path, out),
                "sha256": sha256_file(self.codebook.path),
            },
            "outputs": {name: sha256_file(path) for name, path in paths.items()},
        }
        paths["manifest.json"] = out / "manifest.json"
        paths["manifest.json"].write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        self.outputs = paths
        return paths


def _check_exclusions(by: pd.Series, book: Codebook, file: Path) -> None:
    """Stop when nobody would be analysed, or one rule excludes more than the codebook allows.

    Either is far more often a slip (an attention check's expected answer
    mistyped, a screening answer spelled differently) than a real sample.
    """
    received = len(by)
    counts = by.value_counts()
    if received and int(by.isna().sum()) == 0:
        rule, n = counts.index[0], int(counts.iloc[0])
        raise InputError(
            f"no respondent would be analysed: the {rule} rule excludes {n} of {received}, the "
            "other rules the rest",
            file=file,
            hint=f"check the codebook's {rule} settings (e.g. an attention check's expected "
            f"answer), or run with --rule {rule}=flag to inspect the flagged rows",
        )
    limit = book.max_exclusion_share
    for rule, n in counts.items():
        if n / received > limit:
            raise InputError(
                f"the {rule} rule would exclude {int(n)} of {received} submissions "
                f"({n / received:.0%}, more than the {limit:.0%} allowed)",
                file=file,
                hint=f"check the codebook's {rule} settings; if the exclusions are right, raise "
                "max_exclusion_share in the codebook, or use --rule "
                f"{rule}=flag to keep and mark them",
            )


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns holding only whole numbers as nullable integers (so a CSV shows 4, not 4.0).

    Examples
    --------
    >>> whole_numbers(pd.DataFrame({"a": [1.0, None], "b": [1.5, 2.0]})).dtypes.astype(str).tolist()
    ['Int64', 'float64']
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if (
            pd.api.types.is_float_dtype(values)
            and np.isfinite(values.dropna()).all()
            and (values.dropna() % 1 == 0).all()
        ):
            out[column] = values.astype("Int64")
    return out


def _relative(path: Path, start: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path.name


def clean_survey(
    raw: RawSurvey | str | Path,
    codebook: Codebook | str | Path,
    *,
    rules: dict[str, str] | None = None,
) -> CleanResult:
    """Clean a survey export with its codebook.

    Steps: read (never modifying the file) -> drop personal-data columns ->
    recode and validate every mapped cell (errors raise, naming file,
    column, respondent and value) -> careless-response rules -> participant
    flow -> missing-data report.  Nothing is imputed.

    Parameters
    ----------
    raw : RawSurvey or path
        The export (read with :func:`sqresearch.io.read_survey` if a path).
    codebook : Codebook or path
    rules : dict, optional
        Rule -> action ("exclude", "flag", "off"), overriding the codebook.

    Returns
    -------
    CleanResult
    """
    book = codebook if isinstance(codebook, Codebook) else Codebook.load(codebook)
    if not isinstance(raw, RawSurvey):
        raw = read_survey(raw, platform=book.platform or "auto")
    for rule, action in (rules or {}).items():
        if rule not in book.careless:
            raise InputError(
                f"unknown careless-response rule {rule!r}", hint=", ".join(book.careless)
            )
        if action not in ("exclude", "flag", "off"):
            raise InputError(f"action for {rule} must be exclude, flag or off", value=action)
        book.careless[rule]["action"] = action
    issues = Issues()
    frame = raw.data

    # 1. personal data: off the frame before anything else happens.
    personal = pii_columns(frame, raw.roles)
    mapped = book.source_columns()
    for row in personal.to_dict("records"):
        owner = next((code for code, col in mapped.items() if col == row["column"]), None)
        if owner is not None and row["found_by"] != "content":
            raise InputError(
                f"the codebook maps this personal-data column ({row['kind']}) to {owner}; it cannot be written",
                file=raw.path,
                column=row["column"],
                hint="remove it from the codebook (use 序号 as the respondent id)",
            )
    province = None
    if book.keep_province and (ip := raw.column("ip")) is not None:
        province = frame[ip].map(lambda v: parse_ip(v)[1]).reset_index(drop=True).rename("PROVINCE")
    # content hits in coded columns are harmless (they must map to labels); in kept text they are redacted
    dropped = personal[~personal["column"].isin(list(mapped.values()))]
    frame = frame.drop(columns=list(dropped["column"]))
    raw = dataclasses.replace(raw, data=frame)

    # 2. recode and validate.
    coded = apply_codebook(frame, book)
    coded.issues.raise_first(raw.path)
    data = coded.data
    if province is not None:  # coarse, from the IP column before it was dropped
        data.insert(
            data.columns.get_loc("DURATION") + 1 if "DURATION" in data else 1, "PROVINCE", province
        )
    for code in book.keep.values():
        hits = data[code].map(lambda v: bool(find_pii(v)) if isinstance(v, str) else False)
        if hits.any():
            data[code] = data[code].map(redact)
            issues.add(
                "warning",
                "pii_redacted",
                f"personal data removed from {int(hits.sum())} answers of kept column {code}",
                column=code,
            )

    # 3. careless-response rules and the flow.
    position = {str(c): i for i, c in enumerate(frame.columns)}
    items = sorted(
        book.items, key=lambda code: position[book.items[code].column]
    )  # questionnaire order
    expected = {c: a.expected for c, a in book.attention_checks.items()}
    answer_cols = [c for c in data.columns if c not in ("ID", "DURATION", "SCREEN", "PROVINCE")]
    result = screen(data, items, book.careless, attention=expected, answer_columns=answer_cols)
    actions = {rule: s["action"] for rule, s in book.careless.items()}
    by = excluded_by(result.excluding, actions)
    flow = participant_flow(result.excluding, actions)
    _check_exclusions(by, book, raw.path)
    analysed = data[by.isna()].copy()
    for rule in result.flags.columns:  # flagged and kept: by a "flag" rule, or a borderline one
        kept = result.flags.loc[by.isna(), rule]
        if actions[rule] == "flag" or kept.any():
            analysed[f"flag_{rule}"] = kept.astype(int)
    analysed = analysed.drop(columns=[c for c in ("SCREEN",) if c in analysed]).reset_index(
        drop=True
    )
    missing = missing_report(analysed[items])

    # 4. warnings for the report.
    for note in raw.notes:
        issues.add("warning", "reader", note)
    for column, count in coded.missing_code_counts.items():
        issues.add(
            "warning",
            "missing_code",
            f"{count} cells read as missing (codebook missing_codes)",
            column=column,
        )
    for column in book.unmatched:
        issues.add(
            "warning", "unmatched", "column not mapped by the codebook (left out)", column=column
        )
    for rule in result.flags.columns:
        kept = int(analysed[f"flag_{rule}"].sum()) if f"flag_{rule}" in analysed else 0
        if kept:
            issues.add(
                "warning",
                "flagged",
                f"{kept} analysed respondents flagged by {rule} (kept; column flag_{rule})",
            )
    for row in result.rules.to_dict("records"):
        if row["note"] and row["note"] != "off":
            issues.add("warning", "rule_not_run", f"rule {row['rule']} not applied: {row['note']}")
    incomplete = int((analysed[items].isna().any(axis=1)).sum())
    if incomplete:
        issues.add(
            "warning",
            "missing_items",
            f"{incomplete} analysed respondents miss at least one item (no imputation)",
        )
    if issues.rows:
        warnings.warn(
            f"{len(issues.rows)} cleaning warnings (see CleanResult.warnings or the report)",
            CleaningWarning,
            stacklevel=2,
        )
    return CleanResult(
        data=analysed,
        coded=data,
        screening=result,
        excluded_by=by,
        flow=flow,
        missing=missing,
        personal_data=dropped[["column", "kind", "found_by"]]
        .assign(column=lambda d: d["column"].map(lambda c: redact(str(c))))
        .reset_index(drop=True),
        warnings=issues.frame(),
        raw=raw,
        codebook=book,
    )
