# Reference values for tests/test_sem_ordinal.py (WLSMV with missing responses):
# lavaan 0.6.14, HolzingerSwineford1939 cut into quartile categories, every 7th
# row missing x1 and every 11th row missing x5; listwise (lavaan's default for
# ordered data) and missing = "pairwise".
library(lavaan)
d <- HolzingerSwineford1939[paste0("x", 1:9)]
for (v in names(d)) d[[v]] <- findInterval(d[[v]], quantile(d[[v]], c(.25, .5, .75))) + 1L
d$x1[seq(7, 301, by = 7)] <- NA; d$x5[seq(11, 301, by = 11)] <- NA
HS <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
measures <- c("chisq", "chisq.scaled", "chisq.scaling.factor", "cfi.scaled", "tli.scaled",
              "rmsea.scaled", "srmr")
for (missing in c("listwise", "pairwise")) {
  fit <- cfa(HS, d, ordered = TRUE, estimator = "WLSMV", missing = missing)
  cat(missing, "nobs", lavInspect(fit, "nobs"), "\n")
  ss <- lavInspect(fit, "sampstat")
  cat(sprintf("%.10g", lav_matrix_vech(ss$cov, diagonal = FALSE)[1:8]), sep = ", "); cat("\n")
  cat(sprintf("%.10g", ss$th[1:6]), sep = ", "); cat("\n")
  g <- lavInspect(fit, "gamma")
  cat(sprintf("%.10g", c(diag(g)[c(1, 13, 30)], g[1, 2:4], g[1, 30])), sep = ", "); cat("\n")
  pe <- parameterEstimates(fit, standardized = TRUE)
  pe <- pe[pe$se > 0, ]
  cat(sprintf('("%s", "%s", "%s", %.10g, %.10g, %.10g),', pe$lhs, pe$op, pe$rhs, pe$est, pe$se,
              pe$std.all)[c(1:12, 16, 22, 28)], sep = "\n")
  cat(sprintf('"%s": %.12g,', measures, fitMeasures(fit, measures)), sep = "\n")
}
