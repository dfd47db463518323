# PLSpredict reference values for tests/test_pls_predict.py from R seminr 2.3.1 (see
# pls_seminr_references.R). seminr shuffles the rows with sample() and cuts them into 10
# equal folds; the fold of each original row is exported so that the test uses the same folds.
# Run: Rscript tests/r/pls_seminr_predict.R > tests/data/pls_seminr_predict.json
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
set.seed(1); ord <- sample(nrow(mobi), nrow(mobi))
fold_of_row <- integer(nrow(mobi))
fold_of_row[ord] <- cut(seq(1, nrow(mobi)), breaks = 10, labels = FALSE) - 1
out <- list(folds = fold_of_row)
for (tech in c("EA", "DA")) {
  set.seed(1)
  p <- suppressMessages(predict_pls(model, technique = if (tech == "EA") predict_EA else predict_DA, noFolds = 10))
  m <- unclass(summary(p)$PLS_out_of_sample)
  out[[tech]] <- list(RMSE = as.list(m["RMSE", ]), MAE = as.list(m["MAE", ]))
}
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE))
