# Reference values for tests/test_sem_compare.py (WLSMV difference test):
# lavaan 0.6.14's lavTestLRT on WLSMV fits (method "satorra.2000",
# scaled.shifted) of HolzingerSwineford1939 cut into quartile categories.
library(lavaan)
d <- HolzingerSwineford1939[paste0("x", 1:9)]
for (v in names(d)) d[[v]] <- findInterval(d[[v]], quantile(d[[v]], c(.25, .5, .75))) + 1L
HS <- 'visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9'
ONE <- 'g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9'
EQ <- 'visual =~ x1 + x2 + x3
textual =~ x4 + a*x5 + a*x6
speed =~ x7 + b*x8 + b*x9'
w <- function(m, ...) cfa(m, d, ordered = TRUE, estimator = "WLSMV", ...)
f3 <- w(HS); f1 <- w(ONE); feq <- w(EQ); forth <- w(HS, orthogonal = TRUE)
show <- function(a) {
  cat(sprintf("%.10g", a[["Chisq"]]), "|", sprintf("%.10g", a[["Chisq diff"]][-1]), "|",
      a[["Df diff"]][-1], "|", sprintf("%.10g", a[["Pr(>Chisq)"]][-1]), "\n")
}
show(lavTestLRT(f3, f1))
show(lavTestLRT(f3, feq))
show(lavTestLRT(f3, forth))
show(lavTestLRT(f3, feq, f1))
