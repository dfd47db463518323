# Reference values for tests/test_pls.py from R seminr 2.3.1 (github sem-in-r/seminr,
# installed from source with R 4.2.2; plotting dependencies dropped).
# Run: Rscript tests/r/pls_seminr_references.R > tests/data/pls_seminr_references.json
suppressMessages(library(seminr))
suppressMessages(library(jsonlite))

mobi <- read.csv("tests/data/mobi.csv")
sim <- read.csv("tests/data/pls_sim.csv")

mobi_mm <- function(block) constructs(
  block("Image",        multi_items("IMAG", 1:5)),
  block("Expectation",  multi_items("CUEX", 1:3)),
  block("Quality",      multi_items("PERQ", 1:7)),
  block("Value",        multi_items("PERV", 1:2)),
  block("Satisfaction", multi_items("CUSA", 1:3)),
  block("Complaints",   single_item("CUSCO")),
  block("Loyalty",      multi_items("CUSL", 1:3))
)
mobi_sm <- relationships(
  paths(from = "Image",        to = c("Expectation", "Satisfaction", "Loyalty")),
  paths(from = "Expectation",  to = c("Quality", "Value", "Satisfaction")),
  paths(from = "Quality",      to = c("Value", "Satisfaction")),
  paths(from = "Value",        to = c("Satisfaction")),
  paths(from = "Satisfaction", to = c("Complaints", "Loyalty")),
  paths(from = "Complaints",   to = "Loyalty")
)
sim_mm <- function(block) constructs(
  block("EXO1", multi_items("a", 1:4)),
  composite("EXO2", multi_items("b", 1:3), weights = mode_B),
  block("MED",  multi_items("m", 1:4)),
  block("OUT1", multi_items("y", 1:4)),
  block("OUT2", multi_items("z", 1:3))
)
sim_sm <- relationships(
  paths(from = c("EXO1", "EXO2"), to = "MED"),
  paths(from = c("MED", "EXO1"), to = "OUT1"),
  paths(from = c("OUT1", "MED", "EXO2"), to = "OUT2")
)
composite_a <- function(name, items) composite(name, items, weights = mode_A)

mat <- function(m) {  # a matrix as {row: {col: value}}, NA dropped
  m <- unclass(m)
  out <- list()
  for (r in rownames(m)) {
    row <- list()
    for (c in colnames(m)) if (!is.na(m[r, c]) && m[r, c] != 0) row[[c]] <- m[r, c]
    out[[r]] <- row
  }
  out
}

vifs <- function(x) {  # list of named vectors (class list_output) -> {construct: {name: vif}}
  x <- unclass(x)
  out <- list()
  for (k in names(x)) {
    v <- unclass(x[[k]])
    out[[k]] <- as.list(setNames(as.numeric(v), names(v)))
  }
  out
}

refs <- function(model) {
  s <- summary(model)
  list(
    paths = mat(model$path_coef),
    loadings = mat(model$outer_loadings),
    weights = mat(model$outer_weights),
    r2 = mat(model$rSquared),
    reliability = mat(s$reliability),
    htmt = mat(s$validity$htmt),
    fl = mat(s$validity$fl_criteria),
    item_vifs = vifs(s$validity$vif_items),
    antecedent_vifs = vifs(s$vif_antecedents),
    fsquare = mat(s$fSquare),
    total_effects = mat(s$total_effects),
    total_indirect = mat(s$total_indirect_effects),
    iterations = model$iterations
  )
}

out <- list(
  mobi_path = refs(estimate_pls(mobi, mobi_mm(composite_a), mobi_sm)),
  mobi_factor = refs(estimate_pls(mobi, mobi_mm(composite_a), mobi_sm, inner_weights = path_factorial)),
  mobi_plsc = refs(estimate_pls(mobi, mobi_mm(reflective), mobi_sm)),
  sim_path = refs(estimate_pls(sim, sim_mm(composite_a), sim_sm)),
  sim_plsc = refs(estimate_pls(sim, sim_mm(reflective), sim_sm))
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE))
