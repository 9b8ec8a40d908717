# Reference values for pipelines/test/judge/mann-whitney.test.ts, from R's wilcox.test.
# Regenerate (only if the cases change):  Rscript scripts/bench-judge/reference/wilcox-fixtures.R
# Writes pipelines/test/judge/fixtures/wilcox.json; the tests read that file, so CI needs no R.
set.seed(20240611)

num <- function(v) {
  if (is.infinite(v)) return(if (v > 0) '"Infinity"' else '"-Infinity"')
  sprintf("%.17g", v)
}
arr <- function(v) paste0("[", paste(vapply(v, num, ""), collapse = ", "), "]")

cases <- list()
add <- function(name, x, y, alternative = "two.sided", conf.level = 0.95, mu = 0, exact = NULL) {
  r <- suppressWarnings(wilcox.test(x, y, alternative = alternative, mu = mu, conf.int = TRUE,
                                    conf.level = conf.level, exact = exact))
  cases[[length(cases) + 1]] <<- paste0(
    "{\"name\": \"", name, "\", \"alternative\": \"", alternative, "\", \"confLevel\": ", num(conf.level),
    ", \"mu\": ", num(mu), ", \"x\": ", arr(x), ", \"y\": ", arr(y),
    ", \"statistic\": ", num(unname(r$statistic)), ", \"pValue\": ", num(r$p.value),
    ", \"estimate\": ", num(unname(r$estimate)), ", \"interval\": ", arr(as.numeric(r$conf.int)),
    ", \"method\": \"", r$method, "\"}")
}

lat <- function(n, shift = 1, sdlog = 0.5) round(shift * rlnorm(n, log(100), sdlog), 6)

a <- lat(8); b <- lat(10, 1.3)
add("exact 8 vs 10, two-sided", a, b)
add("exact 8 vs 10, greater", a, b, "greater")
add("exact 8 vs 10, less", a, b, "less")
a <- lat(20, 1.2); b <- lat(30)
add("exact 20 vs 30, 98%", a, b, conf.level = 0.98)
add("exact 20 vs 30, mu = 5", a, b, mu = 5)
a <- lat(60, 1.1); b <- lat(80)
add("normal 60 vs 80", a, b)
add("normal 60 vs 80, 98%", a, b, conf.level = 0.98)
add("normal 60 vs 80, greater", a, b, "greater")
add("normal 60 vs 80, less", a, b, "less")
add("normal 60 vs 80, mu = 10", a, b, mu = 10)
a <- round(lat(40, 1.2)); b <- round(lat(45))
add("ties 40 vs 45 (rounded ms)", a, b)
add("ties 40 vs 45, greater", a, b, "greater")
a <- round(lat(12)); b <- round(lat(15, 1.5))
add("ties 12 vs 15 (normal because tied)", a, b)
a <- lat(300, 1.2); b <- lat(500)
add("large 300 vs 500, 98% (Kayenta's level)", a, b, conf.level = 0.98)
a <- lat(31, 1.0, 1.2); b <- lat(200, 1.0, 1.2)
add("heavy tail 31 vs 200", a, b)
a <- lat(25); b <- lat(25)
add("A/A 25 vs 25", a, b)

out <- commandArgs(trailingOnly = TRUE)
path <- if (length(out) > 0) out[[1]] else "pipelines/test/judge/fixtures/wilcox.json"
writeLines(c("{", paste0("  \"generator\": \"", R.version.string, " wilcox.test\","), "  \"cases\": [",
             paste0("    ", cases, collapse = ",\n"), "  ]", "}"), path)
cat("wrote", length(cases), "cases to", path, "\n")
