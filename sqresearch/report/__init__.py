"""report stage: thesis tables, interpretation text and figures from computed results.

- :mod:`~sqresearch.report.format`: every number-formatting rule (decimals per
  statistic, APA leading zeros, p-values, stars, CIs, LaTeX escaping);
- :mod:`~sqresearch.report.labels`: the bilingual (zh/en) label dictionary;
- :mod:`~sqresearch.report.tables`: :class:`ThesisTable` and ``render`` to
  LaTeX (:mod:`.latex`), Word (:mod:`.word`), Markdown, HTML and Excel (:mod:`.excel`);
- :mod:`~sqresearch.report.thesis_tables`: the standard tables of an empirical chapter;
- :mod:`~sqresearch.report.text`: interpretation paragraphs judged against
  :mod:`sqresearch.thresholds`;
- :mod:`~sqresearch.report.style`, :mod:`~sqresearch.report.figures`,
  :mod:`~sqresearch.report.diagrams`: one thesis figure style with a packaged CJK font.
"""
