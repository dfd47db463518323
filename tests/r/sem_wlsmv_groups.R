# Reference values for tests/test_sem_wlsmv_groups.py: multi-group WLSMV in lavaan 0.6.14
# (HolzingerSwineford1939 cut into quartile categories over both schools, group = school;
# configural and group.equal = "loadings"), and lavTestLRT of the two.
library(lavaan)
d <- HolzingerSwineford1939[paste0("x", 1:9)]
for (v in names(d)) d[[v]] <- findInterval(d[[v]], quantile(d[[v]], c(.25, .5, .75))) + 1L
d$school <- HolzingerSwineford1939$school
HS <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
measures <- c("chisq", "df", "chisq.scaled", "chisq.scaling.factor", "chisq.shift.parameter",
              "baseline.chisq", "baseline.chisq.scaled", "cfi", "tli", "cfi.scaled",
              "tli.scaled", "rmsea", "rmsea.scaled", "rmsea.ci.upper.scaled", "srmr", "npar")
for (equal in c("none", "loadings")) {
  fit <- cfa(HS, d, ordered = TRUE, estimator = "WLSMV", group = "school", group.equal = equal)
  cat("group.equal:", equal, "\n")
  pe <- parameterEstimates(fit, standardized = TRUE)
  pe <- pe[pe$se > 0 & pe$op != "|" | (pe$op == "|" & pe$rhs == "t1" & pe$lhs %in% c("x1", "x9")), ]
  cat(sprintf('("%s", "%s", "%s", %d, %.10g, %.10g, %.10g),', pe$lhs, pe$op, pe$rhs, pe$group,
              pe$est, pe$se, pe$std.all), sep = "\n")
  fm <- fitMeasures(fit, measures)
  cat(sprintf('"%s": %.12g,', gsub(".", "_", names(fm), fixed = TRUE), fm), sep = "\n")
}
fc <- cfa(HS, d, ordered = TRUE, estimator = "WLSMV", group = "school")
fl <- cfa(HS, d, ordered = TRUE, estimator = "WLSMV", group = "school", group.equal = "loadings")
a <- lavTestLRT(fc, fl)
cat("LRT", sprintf("%.10g", c(a[["Chisq diff"]][2], a[["Pr(>Chisq)"]][2])), "\n")
