# Reference values for tests/test_sem_robust_fixed_x.py: MLM and MLR with exogenous observed
# covariates (fixed.x = TRUE, lavaan's default), lavaan 0.6.14 on HolzingerSwineford1939.
library(lavaan)
M <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
visual ~ ageyr + sex
textual ~ ageyr'
measures <- c("chisq", "df", "chisq.scaled", "chisq.scaling.factor", "baseline.chisq",
              "baseline.chisq.scaled", "baseline.chisq.scaling.factor", "cfi", "cfi.scaled",
              "cfi.robust", "tli.robust", "rmsea.scaled", "rmsea.robust", "npar")
for (est in c("MLM", "MLR")) {
  fit <- sem(M, HolzingerSwineford1939, estimator = est)
  cat("estimator:", est, "\n")
  pe <- parameterEstimates(fit)
  pe <- pe[pe$se > 0, ]
  cat(sprintf('("%s", "%s", "%s", %.10g, %.10g),', pe$lhs, pe$op, pe$rhs, pe$est, pe$se),
      sep = "\n")
  fm <- fitMeasures(fit, measures)
  cat(sprintf('"%s": %.12g,', gsub(".", "_", names(fm), fixed = TRUE), fm), sep = "\n")
}
# two groups (school), MLR and MLM
for (est in c("MLM", "MLR")) {
  fit <- sem(M, HolzingerSwineford1939, estimator = est, group = "school")
  cat("group estimator:", est, "\n")
  pe <- parameterEstimates(fit)
  pe <- pe[pe$se > 0 & pe$op == "~", ]
  cat(sprintf('("%s", "%s", "%s", %d, %.10g, %.10g),', pe$lhs, pe$op, pe$rhs, pe$group, pe$est,
              pe$se), sep = "\n")
  fm <- fitMeasures(fit, measures)
  cat(sprintf('"%s": %.12g,', gsub(".", "_", names(fm), fixed = TRUE), fm), sep = "\n")
}
