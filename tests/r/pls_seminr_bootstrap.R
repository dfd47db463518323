# Bootstrap standard errors of the mobi paths from R seminr 2.3.1 (2000 resamples), for the
# distributional check in tests/test_pls_bootstrap.py (resamples differ: compared within 10%).
# Run: Rscript tests/r/pls_seminr_bootstrap.R > tests/data/pls_seminr_bootstrap.json
suppressMessages(library(seminr))
suppressMessages(library(jsonlite))
mobi <- read.csv("tests/data/mobi.csv")
mm <- constructs(
  composite("Image",        multi_items("IMAG", 1:5)),
  composite("Expectation",  multi_items("CUEX", 1:3)),
  composite("Quality",      multi_items("PERQ", 1:7)),
  composite("Value",        multi_items("PERV", 1:2)),
  composite("Satisfaction", multi_items("CUSA", 1:3)),
  composite("Complaints",   single_item("CUSCO")),
  composite("Loyalty",      multi_items("CUSL", 1:3))
)
sm <- relationships(
  paths(from = "Image",        to = c("Expectation", "Satisfaction", "Loyalty")),
  paths(from = "Expectation",  to = c("Quality", "Value", "Satisfaction")),
  paths(from = "Quality",      to = c("Value", "Satisfaction")),
  paths(from = "Value",        to = c("Satisfaction")),
  paths(from = "Satisfaction", to = c("Complaints", "Loyalty")),
  paths(from = "Complaints",   to = "Loyalty")
)
model <- suppressMessages(estimate_pls(mobi, mm, sm))
boot <- suppressMessages(bootstrap_model(model, nboot = 2000, cores = 1, seed = 1))
s <- summary(boot)$bootstrapped_paths
out <- list()
for (r in rownames(s)) out[[r]] <- list(se = s[r, "Bootstrap SD"], lower = s[r, "2.5% CI"], upper = s[r, "97.5% CI"])
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE))
