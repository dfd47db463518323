"""sqresearch: reproducible survey research for community-marketing theses.

The package folders follow the pipeline::

    io -> clean -> measure -> model -> report

``constructs`` (the construct library, frameworks and hypotheses) is data that
every stage may read; ``cli`` and the notebooks sit on top.

In a notebook, ``import sqresearch as sq`` gives one name per analysis
(:data:`API`): ``sq.load_study()``, ``sq.reliability(...)``,
``sq.fit_sem(...)``, ``sq.process(...)``, ``sq.compare(...)``, …  Each name is
imported from its module the first time it is used, so ``import sqresearch``
(and the ``sqresearch`` command's start-up) loads none of pandas, scipy or
semopy. The names are the functions themselves, documented in their modules;
``sq.reliability`` is :func:`sqresearch.measure.reliability.reliability_table`
and ``sq.compare`` is :func:`sqresearch.model.groups.compare_groups`.

Examples
--------
>>> import sqresearch as sq
>>> sq.reliability is __import__("sqresearch.measure.reliability", fromlist=["x"]).reliability_table
True
>>> "fit_sem" in dir(sq)
True
"""

__version__ = "0.1.0"

#: The notebook API: top-level name -> (module, name in that module), in the
#: order of a thesis's analysis chapter.
API: dict[str, tuple[str, str]] = {
    # the study and its data
    "load_study": ("sqresearch.study", "load_study"),
    "preflight": ("sqresearch.check", "preflight"),
    "read_survey": ("sqresearch.io", "read_survey"),
    "read_table": ("sqresearch.io", "read_table"),
    "clean_survey": ("sqresearch.clean.pipeline", "clean_survey"),
    "simulate_respondents": ("sqresearch.datasets", "simulate_respondents"),
    # sample, items, reliability and validity
    "frequencies": ("sqresearch.measure.descriptives", "frequencies"),
    "item_descriptives": ("sqresearch.measure.descriptives", "item_descriptives"),
    "normality": ("sqresearch.measure.normality", "normality"),
    "item_analysis": ("sqresearch.measure.item_analysis", "item_analysis"),
    "reliability": ("sqresearch.measure.reliability", "reliability_table"),
    "kmo_bartlett": ("sqresearch.measure.efa", "kmo_bartlett"),
    "parallel_analysis": ("sqresearch.measure.efa", "parallel_analysis"),
    "efa": ("sqresearch.measure.efa", "efa"),
    "composite_reliability": ("sqresearch.measure.validity", "composite_reliability"),
    "fornell_larcker": ("sqresearch.measure.validity", "fornell_larcker"),
    "htmt": ("sqresearch.measure.validity", "htmt"),
    "harman": ("sqresearch.measure.validity", "harman"),
    "unmeasured_method_factor": ("sqresearch.measure.method_bias", "unmeasured_method_factor"),
    "marker_variable": ("sqresearch.measure.method_bias", "marker_variable"),
    # CFA and SEM
    "fit_sem": ("sqresearch.sem.fit", "fit_sem"),
    "bootstrap_sem": ("sqresearch.sem.fit", "bootstrap_sem"),
    "modification_indices": ("sqresearch.sem.modindices", "modification_indices"),
    "compare_models": ("sqresearch.sem.compare", "compare_models"),
    "measurement_invariance": ("sqresearch.sem.invariance", "measurement_invariance"),
    # groups, correlation, regression, PROCESS, power
    "scale_scores": ("sqresearch.model.groups", "scale_scores"),
    "compare": ("sqresearch.model.groups", "compare_groups"),
    "compare_all": ("sqresearch.model.groups", "compare_all"),
    "correlation_table": ("sqresearch.model.correlation", "correlation_table"),
    "hierarchical_regression": ("sqresearch.model.regression", "hierarchical_regression"),
    "process": ("sqresearch.model.process", "process"),
    "mediation_decision": ("sqresearch.model.process", "mediation_decision"),
    "power_analysis": ("sqresearch.model.power", "power_analysis"),
    # cut-offs with their citations
    "THRESHOLDS": ("sqresearch.thresholds", "THRESHOLDS"),
    "threshold": ("sqresearch.thresholds", "threshold"),
}

__all__ = ["API", "__version__", *API]


def __getattr__(name: str) -> object:
    """Import an :data:`API` name from its module on first use (PEP 562)."""
    import importlib  # here, not at the top: `import sqresearch` stays as cheap as before

    try:
        module, attr = API[name]
    except KeyError:
        raise AttributeError(f"module 'sqresearch' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(API))
