"""Every number fit_sem reports against lavaan 0.6.14, with covariates, FIML and groups (issue #16).

Data: psych::bfi (2800 rows, natural missing values; ``tests/data/bfi.csv.gz``,
written by ``write.csv(psych::bfi)``) and mtcars (``tests/data/mtcars.csv``).
The reference values were printed by R 4.2.2, lavaan 0.6.14:

    library(lavaan); library(psych); data(bfi); d <- bfi
    mE <- 'E =~ E1+E2+E3+E4+E5
           N =~ N1+N2+N3+N4+N5
           E ~ N + age + gender'
    mG <- 'E =~ E1+E2+E3+E4+E5
           E ~ age + education'
    m5 <- 'A =~ A1+...+A5; C =~ C1+...+C5; E =~ E1+...+E5; N =~ N1+...+N5; O =~ O1+...+O5'
    mm <- 'mpg ~ hp + wt
           qsec ~ mpg + hp'
    E_lw      <- sem(mE, d);  E_fiml <- sem(mE, d, missing = "ml")
    E_lw_fx   <- sem(mE, d, fixed.x = FALSE)
    E_fiml_fx <- sem(mE, d, fixed.x = FALSE, missing = "ml")
    G_lw      <- sem(mG, d, group = "gender")
    G_fiml    <- sem(mG, d, group = "gender", missing = "ml")
    G_lw_fx   <- sem(mG, d, group = "gender", fixed.x = FALSE)
    cfa5_fiml <- cfa(m5, d, missing = "ml")
    mt <- sem(mm, mtcars);  mt_fx <- sem(mm, mtcars, fixed.x = FALSE)
    fitMeasures(fit, c("npar", "chisq", "df", "baseline.chisq", "baseline.df", "cfi",
        "tli", "nfi", "ifi", "logl", "unrestricted.logl", "aic", "bic", "bic2",
        "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmr", "rmr_nomean", "srmr",
        "srmr_bentler", "srmr_bentler_nomean", "crmr", "crmr_nomean", "srmr_mplus",
        "srmr_mplus_nomean", "gfi", "agfi", "pgfi", "ntotal"))    # printed with %.15g
    parameterEstimates(fit, standardized = TRUE)                # est, se, std.all

With fixed.x = TRUE lavaan's logL is conditional on the covariates and npar
leaves out their (co)variances; GFI/AGFI give the covariates' block zero
weight, and under FIML weigh by the missing-data information.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

import pandas as pd
import pytest

from sqresearch.sem.fit import SEMWarning, fit_sem

DATA = Path(__file__).parent / "data"
BFI = pd.read_csv(DATA / "bfi.csv.gz")
MTCARS = pd.read_csv(DATA / "mtcars.csv")

M_E = "E =~ E1+E2+E3+E4+E5\nN =~ N1+N2+N3+N4+N5\nE ~ N + age + gender"
M_G = "E =~ E1+E2+E3+E4+E5\nE ~ age + education"
M_5 = "\n".join(f"{f} =~ " + " + ".join(f"{f}{i}" for i in range(1, 6)) for f in "ACENO")
M_MT = "mpg ~ hp + wt\nqsec ~ mpg + hp"

RUNS = {
    "E_lw": (M_E, BFI, {}),
    "E_fiml": (M_E, BFI, {"missing": "fiml"}),
    "E_lw_fx": (M_E, BFI, {"fixed_x": False}),
    "E_fiml_fx": (M_E, BFI, {"fixed_x": False, "missing": "fiml"}),
    "G_lw": (M_G, BFI, {"group": "gender"}),
    "G_fiml": (M_G, BFI, {"group": "gender", "missing": "fiml"}),
    "G_lw_fx": (M_G, BFI, {"group": "gender", "fixed_x": False}),
    "cfa5_fiml": (M_5, BFI, {"missing": "fiml"}),
    "mt": (M_MT, MTCARS, {}),
    "mt_fx": (M_MT, MTCARS, {"fixed_x": False}),
}
# lavaan's names -> ours
OURS = {"logl": "loglik", "unrestricted_logl": "unrestricted_loglik", "ntotal": "n"}
# log-likelihoods and information criteria are sums over thousands of cases:
# compared to 1e-9 of their size (1e-4 on a logL of 1e5); every index to 1e-6
SUMS = {"chisq", "baseline_chisq", "logl", "unrestricted_logl", "aic", "bic", "bic2"}

LAVAAN_FIT = {
    "E_lw": {
        "npar": 23,
        "chisq": 1342.37407018487,
        "df": 52,
        "baseline_chisq": 8592.86250800985,
        "baseline_df": 65,
        "cfi": 0.848687280197954,
        "tli": 0.810859100247442,
        "nfi": 0.843780338748168,
        "ifi": 0.848917592459225,
        "logl": -44591.8222842223,
        "unrestricted_logl": -43920.6352491298,
        "aic": 89229.6445684445,
        "bic": 89364.6495982027,
        "bic2": 89291.5719307702,
        "rmsea": 0.0973765268850258,
        "rmsea_ci_lower": 0.0929099182925819,
        "rmsea_ci_upper": 0.10191538034078,
        "rmr": 0.482586449009314,
        "rmr_nomean": 0.482586449009314,
        "srmr": 0.0756222203053718,
        "srmr_bentler": 0.0756222203053718,
        "srmr_bentler_nomean": 0.0756222203053718,
        "crmr": 0.0822139842733409,
        "crmr_nomean": 0.0822139842733409,
        "srmr_mplus": 0.075627303540164,
        "srmr_mplus_nomean": 0.075627303540164,
        "gfi": 0.901508290834778,
        "agfi": 0.852262436252168,
        "pgfi": 0.601005527223186,
        "ntotal": 2617,
    },
    "E_fiml": {
        "npar": 33,
        "chisq": 1397.30232126357,
        "df": 52,
        "baseline_chisq": 9057.19616906285,
        "baseline_df": 65,
        "cfi": 0.850392240563879,
        "tli": 0.812990300704848,
        "nfi": 0.845724626564189,
        "ifi": 0.850608215966985,
        "logl": -47288.038253784,
        "unrestricted_logl": -46589.3870931522,
        "aic": 94642.0765075679,
        "bic": 94838.0098725413,
        "bic2": 94733.157659154,
        "rmsea": 0.0961234297397991,
        "rmsea_ci_lower": 0.0918063158857998,
        "rmsea_ci_upper": 0.100509071227364,
        "rmr": 0.464934018451841,
        "rmr_nomean": 0.499419163993748,
        "srmr": 0.0703664152999796,
        "srmr_bentler": 0.0703664152999796,
        "srmr_bentler_nomean": 0.0755854150929555,
        "crmr": 0.0755897453429791,
        "crmr_nomean": 0.0821744560248293,
        "srmr_mplus": 0.0703740293411577,
        "srmr_mplus_nomean": 0.0755910566795862,
        "gfi": 0.992426104285709,
        "agfi": 0.986891334340651,
        "pgfi": 0.573401749142854,
        "ntotal": 2800,
    },
    "E_lw_fx": {
        "npar": 26,
        "chisq": 1342.37407018059,
        "df": 52,
        "baseline_chisq": 8592.86250800985,
        "baseline_df": 65,
        "cfi": 0.848687280198455,
        "tli": 0.810859100248069,
        "nfi": 0.843780338748665,
        "ifi": 0.848917592459726,
        "logl": -56337.3696807329,
        "unrestricted_logl": -55666.1826456426,
        "aic": 112726.739361466,
        "bic": 112879.353742932,
        "bic2": 112796.744205834,
        "rmsea": 0.0973765268848645,
        "rmsea_ci_lower": 0.0929099182924222,
        "rmsea_ci_upper": 0.101915380340619,
        "rmr": 0.482586433805085,
        "rmr_nomean": 0.482586433805085,
        "srmr": 0.0756222232555912,
        "srmr_bentler": 0.0756222232555912,
        "srmr_bentler_nomean": 0.0756222232555912,
        "crmr": 0.0822139876498662,
        "crmr_nomean": 0.0822139876498662,
        "srmr_mplus": 0.0756273067901995,
        "srmr_mplus_nomean": 0.0756273067901995,
        "gfi": 0.916551572376133,
        "agfi": 0.8748273585642,
        "pgfi": 0.611034381584089,
        "ntotal": 2617,
    },
    "E_fiml_fx": {
        "npar": 38,
        "chisq": 1397.30232129512,
        "df": 52,
        "baseline_chisq": 9057.1961690329,
        "baseline_df": 65,
        "cfi": 0.850392240559871,
        "tli": 0.812990300699839,
        "nfi": 0.845724626560195,
        "ifi": 0.850608215962985,
        "logl": -59860.1266733042,
        "unrestricted_logl": -59161.4755126566,
        "aic": 119796.253346608,
        "bic": 120021.873585063,
        "bic2": 119901.134672677,
        "rmsea": 0.0961234297409263,
        "rmsea_ci_lower": 0.0918063158869291,
        "rmsea_ci_upper": 0.10050907122849,
        "rmr": 0.464934060612179,
        "rmr_nomean": 0.499419209299624,
        "srmr": 0.0703664381019153,
        "srmr_bentler": 0.0703664381019153,
        "srmr_bentler_nomean": 0.0755854396346316,
        "crmr": 0.0755897632463046,
        "crmr_nomean": 0.0821744755404609,
        "srmr_mplus": 0.0703740487992328,
        "srmr_mplus_nomean": 0.075591075551369,
        "gfi": 0.99399082834233,
        "agfi": 0.989599510592494,
        "pgfi": 0.574305811931124,
        "ntotal": 2800,
    },
    "G_lw": {
        "npar": 34,
        "chisq": 190.211502957822,
        "df": 26,
        "baseline_chisq": 2903.38268973807,
        "baseline_df": 40,
        "cfi": 0.94265122033938,
        "tli": 0.911771108214431,
        "nfi": 0.934486244741308,
        "ifi": 0.942930252710747,
        "logl": -21057.5486720182,
        "unrestricted_logl": -20962.4429205393,
        "aic": 42183.0973440365,
        "bic": 42381.1013056849,
        "bic2": 42273.0746754545,
        "rmsea": 0.0710962973921469,
        "rmsea_ci_lower": 0.0618073229415183,
        "rmsea_ci_upper": 0.0807453740118731,
        "rmr": 0.369762916492297,
        "rmr_nomean": 0.413407508417674,
        "srmr": 0.0342202589010581,
        "srmr_bentler": 0.0342202589010581,
        "srmr_bentler_nomean": 0.0382594125551889,
        "crmr": 0.0382594130299095,
        "crmr_nomean": 0.0441781648236931,
        "srmr_mplus": 0.0342202593270265,
        "srmr_mplus_nomean": 0.0382594130305141,
        "gfi": 0.998724973062184,
        "agfi": 0.996567235167419,
        "pgfi": 0.370954989994526,
        "ntotal": 2499,
    },
    "G_fiml": {
        "npar": 34,
        "chisq": 193.259301084954,
        "df": 26,
        "baseline_chisq": 2970.1535709952,
        "baseline_df": 40,
        "cfi": 0.942917906166895,
        "tli": 0.912181394102916,
        "nfi": 0.934932892705545,
        "ifi": 0.943189342182169,
        "logl": -21559.5786401113,
        "unrestricted_logl": -21462.9489895688,
        "aic": 43187.1572802225,
        "bic": 43386.2062413847,
        "bic2": 43278.1787881906,
        "rmsea": 0.0706587993314078,
        "rmsea_ci_lower": 0.0615166094078274,
        "rmsea_ci_upper": 0.0801536710588866,
        "rmr": 0.37520764860811,
        "rmr_nomean": 0.419494875772907,
        "srmr": 0.0343405455551594,
        "srmr_bentler": 0.0343405455551594,
        "srmr_bentler_nomean": 0.038393744300752,
        "crmr": 0.0383929699145193,
        "crmr_nomean": 0.0443322065607314,
        "srmr_mplus": 0.0343399174661064,
        "srmr_mplus_nomean": 0.0383928948835891,
        "gfi": 0.998742881109057,
        "agfi": 0.996615449139769,
        "pgfi": 0.370961641554793,
        "ntotal": 2577,
    },
    "G_lw_fx": {
        "npar": 44,
        "chisq": 190.211502957822,
        "df": 26,
        "baseline_chisq": 2903.3826897381,
        "baseline_df": 40,
        "cfi": 0.942651220339381,
        "tli": 0.911771108214432,
        "nfi": 0.934486244741309,
        "ifi": 0.942930252710748,
        "logl": -34269.104272051,
        "unrestricted_logl": -34173.9985205721,
        "aic": 68626.2085441021,
        "bic": 68882.4489650588,
        "bic2": 68742.6497965254,
        "rmsea": 0.0710962973921469,
        "rmsea_ci_lower": 0.0618073229415183,
        "rmsea_ci_upper": 0.0807453740118731,
        "rmr": 0.369762916492297,
        "rmr_nomean": 0.413407508417674,
        "srmr": 0.0342202589010581,
        "srmr_bentler": 0.0342202589010581,
        "srmr_bentler_nomean": 0.0382594125551889,
        "crmr": 0.0382594130299095,
        "crmr_nomean": 0.0441781648236931,
        "srmr_mplus": 0.0342202593270265,
        "srmr_mplus_nomean": 0.0382594130305141,
        "gfi": 0.998964634604791,
        "agfi": 0.99721247778213,
        "pgfi": 0.371044007138922,
        "ntotal": 2499,
    },
    "cfa5_fiml": {
        "npar": 85,
        "chisq": 4674.26299033932,
        "df": 265,
        "baseline_chisq": 20010.4821979254,
        "baseline_df": 300,
        "cfi": 0.776298573212816,
        "tli": 0.746753101750357,
        "nfi": 0.766409277692273,
        "ifi": 0.776695096825613,
        "logl": -114278.378540032,
        "unrestricted_logl": -111941.247044862,
        "aic": 228726.757080064,
        "bic": 229231.433929238,
        "bic2": 228961.360046271,
        "rmsea": 0.0770869830252798,
        "rmsea_ci_lower": 0.0751572575722447,
        "rmsea_ci_upper": 0.0790330630830127,
        "rmr": 0.15060601930074,
        "rmr_nomean": 0.156291089023696,
        "srmr": 0.0721239818872295,
        "srmr_bentler": 0.0721239818872295,
        "srmr_bentler_nomean": 0.0748464353463964,
        "crmr": 0.0748466364570263,
        "crmr_nomean": 0.0779026848398754,
        "srmr_mplus": 0.0721243305997684,
        "srmr_mplus_nomean": 0.074846557022011,
        "gfi": 0.991274677583696,
        "agfi": 0.988475989261485,
        "pgfi": 0.750536541599084,
        "ntotal": 2800,
    },
    "mt": {
        "npar": 6,
        "chisq": 10.1085437365438,
        "df": 1,
        "baseline_chisq": 91.3932733473955,
        "baseline_df": 5,
        "cfi": 0.894568831766364,
        "tli": 0.47284415883182,
        "nfi": 0.889395101342742,
        "ifi": 0.899234274860938,
        "logl": -125.209654206335,
        "unrestricted_logl": -120.155382338063,
        "aic": 262.419308412671,
        "bic": 271.213723829469,
        "bic2": 252.50914857828,
        "rmsea": 0.53351850180382,
        "rmsea_ci_lower": 0.271269377307432,
        "rmsea_ci_upper": 0.852814416667659,
        "rmr": 0.093406539106797,
        "rmr_nomean": 0.093406539106797,
        "srmr": 0.0551458540711395,
        "srmr_bentler": 0.0551458540711395,
        "srmr_bentler_nomean": 0.0551458540711395,
        "crmr": 0.071192991476636,
        "crmr_nomean": 0.071192991476636,
        "srmr_mplus": 0.0551458540711395,
        "srmr_mplus_nomean": 0.0551458540711395,
        "gfi": 0.986294106260506,
        "agfi": 0.862941062605056,
        "pgfi": 0.0986294106260506,
        "ntotal": 32,
    },
    "mt_fx": {
        "npar": 9,
        "chisq": 10.1085437365438,
        "df": 1,
        "baseline_chisq": 91.3932733473986,
        "baseline_df": 5,
        "cfi": 0.894568831766368,
        "tli": 0.472844158831838,
        "nfi": 0.889395101342746,
        "ifi": 0.899234274860941,
        "logl": -340.491770723483,
        "unrestricted_logl": -335.43749885521,
        "aic": 698.983541446966,
        "bic": 712.175164572163,
        "bic2": 684.11830169538,
        "rmsea": 0.53351850180382,
        "rmsea_ci_lower": 0.271269377307432,
        "rmsea_ci_upper": 0.852814416667659,
        "rmr": 0.093406539106797,
        "rmr_nomean": 0.093406539106797,
        "srmr": 0.0551458540711395,
        "srmr_bentler": 0.0551458540711395,
        "srmr_bentler_nomean": 0.0551458540711395,
        "crmr": 0.071192991476636,
        "crmr_nomean": 0.071192991476636,
        "srmr_mplus": 0.0551458540711395,
        "srmr_mplus_nomean": 0.0551458540711395,
        "gfi": 0.880722903957145,
        "agfi": -0.192770960428552,
        "pgfi": 0.0880722903957145,
        "ntotal": 32,
    },
}


@functools.cache
def fitted(name: str):
    model, data, options = RUNS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SEMWarning)
        return fit_sem(model, data, **options)


@pytest.mark.parametrize("name", list(RUNS))
def test_every_fit_measure_matches_lavaan(name):
    result = fitted(name)
    assert result.converged
    for key, value in LAVAAN_FIT[name].items():
        tol = 1e-9 * abs(value) if key in SUMS else 1e-6
        assert result.fit[OURS.get(key, key)] == pytest.approx(value, abs=tol), (name, key)


LAVAAN_EST = {
    "E_lw_fx": {
        ("E", "=~", "E1"): (1, 0, 0.6023065397),
        ("E", "=~", "E2"): (1.230740147, 0.04711270243, 0.7506550109),
        ("E", "=~", "E3"): (-0.7668594027, 0.03500803009, -0.5575973346),
        ("E", "=~", "E4"): (-1.038347269, 0.0410186052, -0.6964746558),
        ("E", "=~", "E5"): (-0.6948692855, 0.03392346524, -0.5100770994),
        ("N", "=~", "N1"): (1, 0, 0.8104178668),
        ("N", "=~", "N2"): (0.9549932283, 0.02394991092, 0.7982626586),
        ("N", "=~", "N3"): (0.8990781122, 0.02475648572, 0.7202313417),
        ("N", "=~", "N4"): (0.7007192277, 0.02487448612, 0.5701111143),
        ("N", "=~", "N5"): (0.6439480599, 0.02584681666, 0.5088458297),
        ("E", "~", "N"): (0.206681925, 0.01906812839, 0.2685880701),
        ("E", "~", "age"): (-0.004139406876, 0.001903424674, -0.04662408155),
        ("E", "~", "gender"): (-0.2782609579, 0.04553116093, -0.1327829303),
        ("E1", "~~", "E1"): (1.703946616, 0.05602651923, 0.6372268322),
        ("E2", "~~", "E2"): (1.138283033, 0.0495714195, 0.4365170546),
        ("E3", "~~", "E3"): (1.264329097, 0.03995846254, 0.6890852124),
        ("E4", "~~", "E4"): (1.11023276, 0.04199510134, 0.5149230539),
        ("E5", "~~", "E5"): (1.331859854, 0.04077734411, 0.7398213527),
        ("N1", "~~", "N1"): (0.8560985217, 0.03705234811, 0.3432228812),
        ("N2", "~~", "N2"): (0.8505775259, 0.03525304444, 0.3627767278),
        ("N3", "~~", "N3"): (1.228576664, 0.04244829716, 0.4812668144),
        ("N4", "~~", "N4"): (1.670402716, 0.0505780362, 0.6749733173),
        ("N5", "~~", "N5"): (1.944274008, 0.05734956272, 0.7410759216),
        ("E", "~~", "E"): (0.8803216516, 0.05912154329, 0.9074951161),
        ("N", "~~", "N"): (1.638194745, 0.07076252862, 1),
        ("age", "~~", "age"): (123.0669487, 3.40215871, 1),
        ("age", "~~", "gender"): (0.2359044189, 0.1020237903, 0.04524565121),
        ("gender", "~~", "gender"): (0.220890497, 0.006106469171, 1),
    },
    "E_fiml": {
        ("E", "=~", "E1"): (1, 0, 0.6047281636),
        ("E", "=~", "E2"): (1.212377736, 0.04500557993, 0.74449569),
        ("E", "=~", "E3"): (-0.7771895293, 0.03456401535, -0.5668370389),
        ("E", "=~", "E4"): (-1.02309106, 0.03959322164, -0.692074898),
        ("E", "=~", "E5"): (-0.6910906763, 0.0330408124, -0.5106734345),
        ("N", "=~", "N1"): (1, 0, 0.8079674544),
        ("N", "=~", "N2"): (0.9592584511, 0.0218013946, 0.797925677),
        ("N", "=~", "N3"): (0.9130755149, 0.02591241172, 0.7232254375),
        ("N", "=~", "N4"): (0.7061698557, 0.02627991528, 0.5709964761),
        ("N", "=~", "N5"): (0.6507256735, 0.02643599701, 0.5101237247),
        ("E", "~", "N"): (0.2005678847, 0.01920537442, 0.2578747029),
        ("E", "~", "age"): (-0.003355318616, 0.001868785059, -0.03782643151),
        ("E", "~", "gender"): (-0.2836061317, 0.04490184977, -0.1349426302),
        ("E1", "~~", "E1"): (1.689266193, 0.0542002626, 0.6343038482),
        ("E2", "~~", "E2"): (1.15117353, 0.0489561979, 0.4457261675),
        ("E3", "~~", "E3"): (1.242606779, 0.0389632171, 0.6786957713),
        ("E4", "~~", "E4"): (1.108940376, 0.04071948539, 0.5210323356),
        ("E5", "~~", "E5"): (1.318481549, 0.03947116935, 0.7392126433),
        ("N1", "~~", "N1"): (0.856236112, 0.03701918419, 0.3471885926),
        ("N2", "~~", "N2"): (0.8453665934, 0.03502850573, 0.363314614),
        ("N3", "~~", "N3"): (1.223911754, 0.04335247223, 0.4769449666),
        ("N4", "~~", "N4"): (1.659599869, 0.05069356935, 0.6739630243),
        ("N5", "~~", "N5"): (1.938026024, 0.05629196372, 0.7397737855),
        ("E", "~~", "E"): (0.8895481121, 0.05819673385, 0.9133732902),
        ("N", "~~", "N"): (1.60996275, 0.06844079343, 1),
        ("age", "~~", "age"): (123.7782526, 0, 1),
        ("age", "~~", "gender"): (0.2492104592, 0, 0.04770346983),
        ("gender", "~~", "gender"): (0.2204896684, 0, 1),
        ("E1", "~1", ""): (3.544820793, 0.09512263605, 2.172170504),
        ("E2", "~1", ""): (3.834845991, 0.1122319104, 2.386226121),
        ("E3", "~1", ""): (3.558446572, 0.07427826187, 2.629851112),
        ("E4", "~1", ""): (3.8369912, 0.09491701947, 2.630080512),
        ("E5", "~1", ""): (4.022690066, 0.06782280582, 3.012064294),
        ("N1", "~1", ""): (2.931575751, 0.0297359866, 1.86675393),
        ("N2", "~1", ""): (3.507911906, 0.02888120876, 2.299680863),
        ("N3", "~1", ""): (3.217112449, 0.03030806901, 2.008284902),
        ("N4", "~1", ""): (3.185071278, 0.02979620112, 2.029717027),
        ("N5", "~1", ""): (2.968861139, 0.03071366811, 1.834254324),
        ("age", "~1", ""): (28.78214286, 0, 2.587026937),
        ("gender", "~1", ""): (1.671785714, 0, 3.560299126),
        ("E", "~1", ""): (0, 0, 0),
        ("N", "~1", ""): (0, 0, 0),
    },
    "mt_fx": {
        ("mpg", "~", "hp"): (-0.03177294698, 0.008596027513, -0.3614506657),
        ("mpg", "~", "wt"): (-3.877830742, 0.6023443412, -0.6295545141),
        ("qsec", "~", "mpg"): (-0.09770885348, 0.05608636029, -0.3295494631),
        ("qsec", "~", "hp"): (-0.02512482139, 0.004930213501, -0.9640092591),
        ("mpg", "~~", "mpg"): (6.095242336, 1.523810584, 0.1732145481),
        ("qsec", "~~", "qsec"): (1.40824005, 0.3520600125, 0.4552431942),
        ("hp", "~~", "hp"): (4553.964844, 1138.491211, 1),
        ("hp", "~~", "wt"): (42.81164062, 13.75733985, 0.6587478873),
        ("wt", "~~", "wt"): (0.927460875, 0.2318652187, 1),
    },
    "std_lv": {
        ("A", "=~", "A1"): (0.5210238975, 0.03025295128, 0.3699417138),
        ("A", "=~", "A2"): (-0.784206365, 0.02366761176, -0.664982135),
        ("A", "=~", "A3"): (-0.9800968695, 0.02586431752, -0.7502050157),
        ("A", "=~", "A4"): (-0.7478654952, 0.03105974536, -0.5024681379),
        ("A", "=~", "A5"): (-0.7960790519, 0.02554446707, -0.6299043537),
        ("C", "=~", "C5"): (0.9678569152, 0.03363155497, 0.5952860233),
        ("C", "=~", "C1"): (-0.6802119397, 0.02584401922, -0.550412129),
        ("C", "=~", "C2"): (-0.8156577176, 0.02716878005, -0.6177548362),
        ("C", "=~", "C3"): (-0.7280413323, 0.02685540184, -0.56491674),
        ("C", "=~", "C4"): (0.9279247289, 0.02792921057, 0.67535479),
        ("A1", "~~", "A1"): (1.712109337, 0.04958752596, 0.8631431284),
        ("A2", "~~", "A2"): (0.7757438023, 0.0286845766, 0.5577987601),
        ("A3", "~~", "A3"): (0.7461922174, 0.0346842216, 0.4371924344),
        ("A4", "~~", "A4"): (1.655983885, 0.05095839689, 0.7475257703),
        ("A5", "~~", "A5"): (0.9634723771, 0.03356119892, 0.6032205052),
        ("C5", "~~", "C5"): (1.706702034, 0.05792278593, 0.6456345504),
        ("C1", "~~", "C1"): (1.064570075, 0.03443932788, 0.6970464883),
        ("C2", "~~", "C2"): (1.078048495, 0.03769770895, 0.6183789623),
        ("C3", "~~", "C3"): (1.130854663, 0.03710017633, 0.6808690768),
        ("C4", "~~", "C4"): (1.026779808, 0.0397583663, 0.5438959076),
        ("A", "~~", "A"): (1, 0, 1),
        ("C", "~~", "C"): (1, 0, 1),
        ("A", "~~", "C"): (0.3349168018, 0.02380028248, 0.3349168018),
    },
}


def _check_estimates(result, reference):
    table = result.estimates.set_index(["lhs", "op", "rhs"])
    assert len(table) == len(reference)  # the same rows as lavaan's table
    for key, (est, se, std) in reference.items():
        row = table.loc[key]
        assert row["est"] == pytest.approx(est, abs=1e-4), key
        assert row["se"] == pytest.approx(se, abs=1e-4), key
        assert row["std_all"] == pytest.approx(std, abs=1e-4), key


@pytest.mark.parametrize("name", ["E_lw_fx", "E_fiml", "mt_fx"])
def test_estimates_match_lavaan(name):
    _check_estimates(fitted(name), LAVAAN_EST[name])


def test_fixed_x_false_estimates_the_covariates_moments():
    # fixed.x = FALSE: age and gender get a free variance each and a free covariance
    table = fitted("E_lw_fx").estimates.set_index(["lhs", "op", "rhs"])
    for key in [("age", "~~", "age"), ("age", "~~", "gender"), ("gender", "~~", "gender")]:
        assert table.loc[key, "se"] > 0, key
    assert fitted("E_lw_fx").fit["npar"] == fitted("E_lw").fit["npar"] + 3


def test_std_lv_first_loading_positive_as_lavaan():
    # cfa('A =~ A1+A2+A3+A4+A5\nC =~ C5+C1+C2+C3+C4', bfi, std.lv = TRUE): A1 and C5 are
    # reverse-keyed, and lavaan flips each factor so that its first loading is positive
    model = "A =~ A1+A2+A3+A4+A5\nC =~ C5+C1+C2+C3+C4"
    result = fit_sem(model, BFI, std_lv=True)
    _check_estimates(result, LAVAAN_EST["std_lv"])


# --- the units of a variable (issue #17, point 7) --------------------------------------
# lavaan 0.6.14 on HolzingerSwineford1939 with x1 multiplied by 100 gives χ² 85.306 and
# SEs for every free parameter, with the warning "some observed variances are (at least) a
# factor 1000 times larger than others"; at ×1e6 it reports χ² 191.45 and no SEs, and at
# ×1e-4 it does not converge. ML is equivariant: the right answer is the same at any unit.
HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


@pytest.mark.parametrize("factor", [100.0, 1e6, 1e-4])
@pytest.mark.parametrize("missing", ["listwise", "fiml"])
def test_rescaled_indicator_changes_nothing_but_the_units(factor, missing):
    from semopy.examples import holzinger39

    hs = holzinger39.get_data()
    if missing == "fiml":
        hs = hs.copy()
        hs.loc[::7, "x2"] = float("nan")
        hs.loc[3::11, "x1"] = float("nan")
    base = fit_sem(HS_MODEL, hs, missing=missing)
    scaled = hs.copy()
    scaled["x1"] = scaled["x1"] * factor
    with pytest.warns(SEMWarning, match="more than 1000 times larger") as record:
        result = fit_sem(HS_MODEL, scaled, missing=missing)
    assert len(record) == 1  # no identification or convergence warning beside it
    assert result.converged
    assert result.fit["chisq"] == pytest.approx(base.fit["chisq"], abs=1e-6)
    for key in ("cfi", "tli", "rmsea", "srmr", "gfi"):
        assert result.fit[key] == pytest.approx(base.fit[key], abs=1e-6), key
    assert result.estimates["se"].notna().all()
    pd.testing.assert_series_equal(result.estimates["z"], base.estimates["z"], atol=1e-5)
    pd.testing.assert_series_equal(
        result.estimates["std_all"], base.estimates["std_all"], atol=1e-6
    )
    est = result.estimates.set_index(["lhs", "op", "rhs"])["est"]
    ref = base.estimates.set_index(["lhs", "op", "rhs"])["est"]
    assert est["x1", "~~", "x1"] == pytest.approx(ref["x1", "~~", "x1"] * factor**2, rel=1e-6)
    assert est["visual", "=~", "x2"] == pytest.approx(ref["visual", "=~", "x2"] / factor, rel=1e-6)


def test_variance_ratio_warning_as_lavaan():
    # sem(mm, mtcars) warns in lavaan: var(hp) = 4700.9 (n - 1), var(wt) = 0.957
    with pytest.warns(SEMWarning, match=r"hp: .*; wt: "):
        fit_sem(M_MT, MTCARS)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SEMWarning)
        fit_sem(M_G, BFI, group="gender")  # var(age) / var(gender) ≈ 550: no warning


def test_r2_leaves_out_random_covariates():
    # inspect(sem(mm, mtcars, fixed.x = FALSE), "r2"): mpg 0.827, qsec 0.545 (no hp, wt)
    r2 = fitted("mt_fx").r2
    assert list(r2.index) == ["mpg", "qsec"]
    assert r2["mpg"] == pytest.approx(fitted("mt").r2["mpg"], abs=1e-9)
