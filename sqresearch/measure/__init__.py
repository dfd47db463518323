"""measure stage: reliability, exploratory factor analysis, validity, item descriptives.

Every function takes a DataFrame (and column names, or a SEM estimates table in
lavaan's layout) and returns numbers: tidy DataFrames or small result objects.
Nothing here fits structural models of the ``model`` stage or renders tables.

Modules
-------
reliability
    Cronbach's alpha (raw and standardised), corrected item-total
    correlations, alpha if item deleted, McDonald's omega.
efa
    KMO, Bartlett's test, parallel analysis, extraction (principal
    components, principal axis, ML) and rotation (varimax, promax, oblimin)
    as SPSS prints them.
validity
    CR/AVE (Fornell & Larcker), omega (compRelSEM), Fornell-Larcker matrix,
    HTMT (Henseler et al. 2015) and HTMT2, cross-loadings, common-method bias.
descriptives
    Item mean, SD, skewness and kurtosis with SPSS's standard errors; the
    distribution over Likert categories.
item_analysis
    Pilot-study item analysis (项目分析): 27% extreme-group critical ratios,
    item-total homogeneity, and a keep / consider-deleting decision per item.
normality
    Item skewness and kurtosis against Kline's or Curran et al.'s cut-offs;
    Mardia's multivariate skewness and kurtosis (AMOS's critical ratio).
method_bias
    Common-method bias beyond Harman: the unmeasured latent method
    construct (ULMC) and Lindell & Whitney's marker-variable correction.
second_order
    Second-order CFA against the first-order model: CR/AVE at both levels,
    Marsh & Hocevar's target coefficient.
"""


class MeasurementWarning(UserWarning):
    """A measurement result that is computed but should be read with care.

    Examples: a scale too short for a one-factor omega, a negative residual
    variance (Heywood case), a non-converged factor extraction, an item with
    no variance.
    """
