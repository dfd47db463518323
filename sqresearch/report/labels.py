"""The bilingual label dictionary: every word a table, text or figure prints.

One entry per key: ``(Chinese, English)``.  Tables, interpretation text and
figures look their words up here through :func:`label`, so that ``lang="zh"``
or ``lang="en"`` switches every heading at once.  Construct and item names
come from the construct catalogue (:func:`construct_label`), not from here.

The language of a call without ``lang`` is the active language
(:func:`use_language`): the study's, once :func:`~sqresearch.study.load_study`
has read ``study.yaml``; Chinese before that.

Examples
--------
>>> label("mean", "zh"), label("mean", "en")
('均值', 'M')
>>> label("not_a_key", "en")
'not_a_key'
"""

from __future__ import annotations

from collections.abc import Mapping

from sqresearch.constructs import load_catalogue
from sqresearch.errors import InputError

LANGS = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    # --- statistics -----------------------------------------------------
    "n": ("样本量", "n"),
    "freq": ("频数", "n"),
    "percent": ("百分比(%)", "%"),
    "cum_percent": ("累计百分比(%)", "Cumulative %"),
    "mean": ("均值", "M"),
    "sd": ("标准差", "SD"),
    "min": ("最小值", "Min"),
    "max": ("最大值", "Max"),
    "skewness": ("偏度", "Skewness"),
    "kurtosis": ("峰度", "Kurtosis"),
    "alpha": ("Cronbach's α", "Cronbach's α"),
    "std_alpha": ("标准化α", "Standardised α"),
    "omega": ("McDonald's ω", "McDonald's ω"),
    "citc": ("CITC", "CITC"),
    "alpha_if_deleted": ("项已删除的α", "α if item deleted"),
    "n_items": ("题项数", "Items"),
    "loading": ("标准化载荷", "Std. loading"),
    "cr": ("CR", "CR"),
    "ave": ("AVE", "AVE"),
    "sqrt_ave": ("AVE平方根", "√AVE"),
    "htmt": ("HTMT", "HTMT"),
    "kmo": ("KMO值", "KMO"),
    "bartlett_chisq": ("Bartlett球形检验近似χ²", "Bartlett's χ²"),
    "eigenvalue": ("特征根", "Eigenvalue"),
    "variance_pct": ("方差解释率(%)", "Variance explained (%)"),
    "cumulative_pct": ("累计方差解释率(%)", "Cumulative variance (%)"),
    "communality": ("共同度", "Communality"),
    "chisq": ("χ²", "χ²"),
    "df": ("df", "df"),
    "p": ("p", "p"),
    "b": ("B", "B"),
    "se": ("SE", "SE"),
    "beta": ("β", "β"),
    "t": ("t", "t"),
    "z": ("z", "z"),
    "f": ("F", "F"),
    "r": ("r", "r"),
    "r2": ("R²", "R²"),
    "adj_r2": ("调整R²", "Adjusted R²"),
    "delta_r2": ("ΔR²", "ΔR²"),
    "delta_f": ("ΔF", "ΔF"),
    "vif": ("VIF", "VIF"),
    "effect": ("效应值", "Effect"),
    "boot_se": ("Boot SE", "Boot SE"),
    "ci": ("95% CI", "95% CI"),
    "ci_lower": ("Boot CI下限", "Boot CI lower"),
    "ci_upper": ("Boot CI上限", "Boot CI upper"),
    "share": ("效应占比", "Proportion"),
    "chisq_df": ("χ²/df", "χ²/df"),
    "cfi": ("CFI", "CFI"),
    "tli": ("TLI", "TLI"),
    "rmsea": ("RMSEA", "RMSEA"),
    "srmr": ("SRMR", "SRMR"),
    "gfi": ("GFI", "GFI"),
    "agfi": ("AGFI", "AGFI"),
    "nfi": ("NFI", "NFI"),
    "ifi": ("IFI", "IFI"),
    "aic": ("AIC", "AIC"),
    "bic": ("BIC", "BIC"),
    "delta_chisq": ("Δχ²", "Δχ²"),
    "delta_df": ("Δdf", "Δdf"),
    # --- demographic variables (levels come from the construct catalogue) -----
    "GENDER": ("性别", "Gender"),
    "AGE": ("年龄", "Age"),
    "EDU": ("学历", "Education"),
    "INCOME": ("月收入", "Monthly income"),
    "TENURE": ("加入社群时长", "Community tenure"),
    "STAGE": ("关系阶段", "Relationship stage"),
    # --- table titles ---------------------------------------------------
    "title_demographics": ("样本基本特征", "Sample characteristics"),
    "title_descriptives": ("题项描述性统计", "Item descriptive statistics"),
    "title_reliability": ("信度分析结果", "Reliability analysis"),
    "title_kmo": ("KMO和Bartlett球形检验", "KMO and Bartlett's test"),
    "title_efa": (
        "探索性因子分析结果(旋转后成分矩阵)",
        "Exploratory factor analysis: rotated loadings",
    ),
    "title_cfa": ("验证性因子分析结果", "Confirmatory factor analysis: loadings, CR and AVE"),
    "title_fit": ("模型拟合指标", "Model fit indices"),
    "title_fornell_larcker": (
        "区分效度检验(Fornell-Larcker准则)",
        "Discriminant validity: Fornell–Larcker criterion",
    ),
    "title_htmt": (
        "区分效度检验(HTMT)",
        "Discriminant validity: heterotrait–monotrait ratios (HTMT)",
    ),
    "title_cmb": ("共同方法偏差检验", "Common method bias"),
    "title_correlation": (
        "变量的均值、标准差与相关系数",
        "Means, standard deviations and correlations",
    ),
    "title_regression": ("分层回归分析结果", "Hierarchical regression"),
    "title_mediation": ("中介效应检验结果", "Mediation analysis"),
    "title_moderation": ("调节效应检验结果", "Moderation analysis"),
    "title_sem": ("结构方程模型路径系数", "Structural model: standardised paths"),
    "title_hypotheses": ("假设检验结果汇总", "Summary of hypothesis tests"),
    # --- stubs and words -----------------------------------------------------
    "variable": ("变量", "Variable"),
    "category": ("类别", "Category"),
    "construct": ("变量", "Construct"),
    "item": ("题项", "Item"),
    "factor": ("因子", "Factor"),
    "index": ("指标", "Index"),
    "value": ("数值", "Value"),
    "criterion": ("参考标准", "Criterion"),
    "judgement": ("结果", "Judgement"),
    "model": ("模型", "Model"),
    "path": ("路径", "Path"),
    "hypothesis": ("假设", "Hypothesis"),
    "content": ("假设内容", "Statement"),
    "estimate": ("估计值", "Estimate"),
    "decision": ("结论", "Decision"),
    "outcome": ("因变量", "Outcome"),
    "predictor": ("自变量", "Predictor"),
    "moderator": ("调节变量", "Moderator"),
    "level": ("调节变量水平", "Moderator level"),
    "test": ("检验方法", "Test"),
    "total": ("合计", "Total"),
    "constant": ("常数项", "Constant"),
    "pass": ("达标", "Met"),
    "fail": ("未达标", "Not met"),
    "supported": ("支持", "Supported"),
    "not_supported": ("不支持", "Not supported"),
    "not_tested": ("未检验", "Not tested"),
    "significant": ("显著", "Significant"),
    "holds": ("成立", "Holds"),
    "fails": ("不成立", "Fails"),
    "not_significant": ("不显著", "Not significant"),
    "total_effect": ("总效应", "Total effect"),
    "direct_effect": ("直接效应", "Direct effect"),
    "indirect_effect": ("间接效应", "Indirect effect"),
    "full_mediation": ("完全中介", "Full mediation"),
    "partial_mediation": ("部分中介", "Partial mediation"),
    "suppression": ("遮掩效应", "Suppression"),
    "no_mediation": ("中介效应不显著", "No mediation"),
    "low": ("低水平(M−1SD)", "Low (M − 1 SD)"),
    "mid": ("均值水平(M)", "Mean (M)"),
    "high": ("高水平(M+1SD)", "High (M + 1 SD)"),
    "note": ("注：", "Note. "),
    "and": ("和", "and"),
    "probability_density": ("密度", "Density"),
    "component": ("成分", "Component"),
    "observed": ("实际数据", "Observed"),
    "parallel": ("平行分析(随机数据)", "Parallel analysis (random data)"),
    "response_share": ("回答比例(%)", "Share of responses (%)"),
    "conditional_effect": ("条件效应", "Conditional effect"),
    "significance_region": ("显著区域", "Region of significance"),
    "bootstrap_samples": ("Bootstrap样本", "Bootstrap resamples"),
    "fitted": ("预测值", "Predicted"),
    "harman_first": ("第一个因子解释的方差(%)", "Variance of the first factor (%)"),
    "single_factor_model": ("单因子模型", "Single-factor model"),
    "measurement_model": ("测量模型", "Measurement model"),
    "sample_size": ("样本量", "Sample size"),
    "power": ("统计检验力", "Power"),
    "target_power": ("目标检验力", "Target power"),
}


#: The language set by :func:`use_language` (empty: Chinese).
_LANGUAGE: list[str] = []


def use_language(lang: str | None = None) -> None:
    """Make ``lang`` the language of every table, text and figure called without ``lang``.

    :func:`~sqresearch.study.load_study` calls it with the study's ``language``,
    so a notebook never passes ``lang``; ``None`` returns to Chinese.  An
    explicit ``lang=`` argument always wins.

    Examples
    --------
    >>> use_language("en"); label("mean")
    'M'
    >>> use_language(None); label("mean")
    '均值'
    """
    _LANGUAGE[:] = [] if lang is None else [check_lang(lang)]


def active_language() -> str:
    """The language of calls without ``lang`` (see :func:`use_language`).

    Examples
    --------
    >>> active_language() in LANGS
    True
    """
    return _LANGUAGE[0] if _LANGUAGE else "zh"


def check_lang(lang: str | None = None) -> str:
    """Return ``lang`` if it is "zh" or "en", the active language if it is None, else raise.

    Raises :class:`InputError` for any other value.

    Examples
    --------
    >>> check_lang("en")
    'en'
    """
    if lang is None:
        return active_language()
    if lang not in LANGS:
        raise InputError("unknown language", value=lang, hint='use lang="zh" or lang="en"')
    return lang


def label(key: str, lang: str | None = None) -> str:
    """The display word for ``key`` in ``lang``; unknown keys are returned as given."""
    lang = check_lang(lang)
    pair = LABELS.get(key)
    return key if pair is None else pair[LANGS.index(lang)]


def localise(text: str | Mapping[str, str], lang: str | None = None) -> str:
    """Pick ``lang`` from a ``{"zh": ..., "en": ...}`` mapping; plain strings pass through.

    Examples
    --------
    >>> localise({"zh": "信度分析", "en": "Reliability"}, "en")
    'Reliability'
    >>> localise("α", "zh")
    'α'
    """
    lang = check_lang(lang)
    if isinstance(text, Mapping):
        return text[lang]
    return text


#: The catalogue labels come from: the study's own (set by ``load_study``) or the shipped one.
_ACTIVE: list = []


def use_catalogue(catalogue=None) -> None:
    """Take construct and demographic labels from ``catalogue`` (a study's instrument).

    :func:`~sqresearch.study.load_study` calls it with the study's catalogue, so
    tables and text name the study's own constructs and levels; ``None``
    returns to the shipped catalogue.
    """
    _ACTIVE[:] = [] if catalogue is None else [catalogue]


def active_catalogue():
    """The catalogue labels come from (see :func:`use_catalogue`)."""
    return _ACTIVE[0] if _ACTIVE else load_catalogue()


def construct_label(code: str, lang: str | None = None, *, with_code: bool = False) -> str:
    """A construct's name from the construct catalogue, or ``code`` when it is not listed.

    Parameters
    ----------
    code : str
        Construct code (e.g. ``"CVA"``) or any other variable name.
    lang : {"zh", "en"}
    with_code : bool
        Append the code in brackets, e.g. ``"社群顾客价值(CVA)"``.

    Examples
    --------
    >>> construct_label("NOT_A_CONSTRUCT", "en")
    'NOT_A_CONSTRUCT'
    """
    lang = check_lang(lang)
    construct = active_catalogue().constructs.get(code)
    if construct is None:
        return code
    name = construct.name(lang)
    if not with_code:
        return name
    return f"{name}({code})" if lang == "zh" else f"{name} ({code})"


def demographic_labels(code: str, lang: str | None = None) -> tuple[str, dict[int, str]]:
    """Short name of a demographic variable and its ``{code: level label}`` from the catalogue.

    Variables not in the catalogue give ``(code, {})``.

    Examples
    --------
    >>> demographic_labels("GENDER", "en")
    ('Gender', {1: 'Male', 2: 'Female'})
    """
    lang = check_lang(lang)
    demographic = active_catalogue().demographics.get(code)
    if demographic is None:
        return code, {}
    name = label(code, lang) if code in LABELS else demographic.question(lang).rstrip("？?：:")
    return name, demographic.labels(lang)
