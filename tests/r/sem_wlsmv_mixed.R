# Reference values for tests/test_sem_wlsmv_mixed.py (WLSMV with ordered and continuous
# indicators): lavaan 0.6.14, HolzingerSwineford1939 with x1-x3 cut into quartile
# categories (ordered) and x4-x9 left continuous.
library(lavaan)
d <- HolzingerSwineford1939[paste0("x", 1:9)]
for (v in c("x1", "x2", "x3")) d[[v]] <- findInterval(d[[v]], quantile(d[[v]], c(.25, .5, .75))) + 1L
HS <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
fit <- cfa(HS, d, ordered = c("x1", "x2", "x3"), estimator = "WLSMV")
ss <- lavInspect(fit, "sampstat")
# the thresholds, the means and the variances of the continuous items
cat("th:", sprintf("%.12g", ss$th), sep = ", "); cat("\n")
cat("mean:", sprintf("%.12g", ss$mean[4:9]), sep = ", "); cat("\n")
cat("var:", sprintf("%.12g", diag(ss$cov)[4:9]), sep = ", "); cat("\n")
# polychoric (x1-x3), polyserial (x1-x3 with x4-x9) and Pearson correlations
cat("cor:", sprintf("%.12g", lav_matrix_vech(cov2cor(ss$cov), diagonal = FALSE)), sep = ", ")
cat("\n")
g <- lavInspect(fit, "gamma")
cat("gamma dims", dim(g), "\n")
idx <- c(1, 4, 10, 11, 16, 17, 30, 45)
cat("gamma:", sprintf("%.12g", c(diag(g)[idx], g[1, c(2, 10, 16, 17, 30)], g[10, c(16, 17, 30)])),
    sep = ", "); cat("\n")
pe <- parameterEstimates(fit, standardized = TRUE)
pe <- pe[pe$se > 0, ]
cat(sprintf('("%s", "%s", "%s", %.10g, %.10g, %.10g),', pe$lhs, pe$op, pe$rhs, pe$est, pe$se,
            pe$std.all), sep = "\n")
measures <- c("npar", "chisq", "df", "chisq.scaled", "chisq.scaling.factor",
              "baseline.chisq", "baseline.chisq.scaled", "cfi.scaled", "tli.scaled", "rmsea.scaled",
              "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "srmr")
cat(sprintf('"%s": %.12g,', measures, fitMeasures(fit, measures)), sep = "\n")
