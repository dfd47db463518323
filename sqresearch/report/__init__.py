"""report stage: thesis tables, interpretation text and figures from computed results.

One module per analysis, mirroring :mod:`sqresearch.measure` and
:mod:`sqresearch.model`; each holds that analysis's tables, paragraphs and figures:

- :mod:`~sqresearch.report.cleaning` (participant flow, cleaning report),
  :mod:`~sqresearch.report.design` (hypotheses, instrument),
  :mod:`~sqresearch.report.sample` (demographics, item descriptives, Likert bars),
  :mod:`~sqresearch.report.normality`, :mod:`~sqresearch.report.item_analysis`;
- :mod:`~sqresearch.report.reliability`, :mod:`~sqresearch.report.efa`,
  :mod:`~sqresearch.report.validity` (Fornell–Larcker, HTMT),
  :mod:`~sqresearch.report.method_bias` (Harman, ULMC, marker);
- :mod:`~sqresearch.report.sem` (CFA loadings with CR/AVE, fit, paths, indirect
  effects, robustness), :mod:`~sqresearch.report.second_order`,
  :mod:`~sqresearch.report.modification`, :mod:`~sqresearch.report.invariance`,
  :mod:`~sqresearch.report.pls`;
- :mod:`~sqresearch.report.correlation`, :mod:`~sqresearch.report.regression`,
  :mod:`~sqresearch.report.process` (mediation, moderation, moderated mediation),
  :mod:`~sqresearch.report.groups`, :mod:`~sqresearch.report.hypotheses`,
  :mod:`~sqresearch.report.power`.

They share :mod:`~sqresearch.report.common` (printed names, arrows, notes, cited
cut-offs) and the generic layers:

- :mod:`~sqresearch.report.format`: every number-formatting rule (decimals per
  statistic, APA leading zeros, p-values, stars, CIs, LaTeX escaping);
- :mod:`~sqresearch.report.labels`: the bilingual (zh/en) label dictionary;
- :mod:`~sqresearch.report.tables`: :class:`ThesisTable` and ``render`` to
  LaTeX (:mod:`.latex`), Word (:mod:`.word`), Markdown, HTML and Excel (:mod:`.excel`);
- :mod:`~sqresearch.report.style`, :mod:`~sqresearch.report.diagrams`: one thesis
  figure style with a packaged CJK font; :mod:`~sqresearch.report.chapter`: the chapter.

Language
--------
The language is chosen once, not passed through every call: every table, text
and figure function takes ``lang=None``, which means the *active language*
(:func:`~sqresearch.report.labels.use_language`).
:func:`~sqresearch.study.load_study` sets it to the study's ``language``
(``study.yaml``), so a notebook calls ``reliability_text(rel)`` and gets the
study's language; before any study is loaded it is Chinese.  An explicit
``lang="en"`` (or ``"zh"``) still overrides it for one call.  Tables keep their
bilingual titles and notes and resolve them in that language; a single active
language (rather than returning both languages) keeps each result a plain
``str``, ``ThesisTable`` or figure that shows as it is in JupyterLab.

Examples
--------
>>> from sqresearch.report.labels import use_language
>>> from sqresearch.report.sem import fit_text
>>> fit = {"chisq": 30.0, "df": 24, "cfi": 0.99, "tli": 0.98, "rmsea": 0.03, "srmr": 0.03}
>>> fit_text(fit)[:7]
'模型拟合良好：'
>>> use_language("en")
>>> fit_text(fit)[:20]
'The model fits well:'
>>> fit_text(fit, lang="zh")[:7]
'模型拟合良好：'
>>> use_language(None)
"""
