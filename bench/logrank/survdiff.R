# R side of bench/logrank: time survival::survdiff on the same CSV (one warm-up, one timed run). survdiff has no timefix argument in survival 3.5.3, so R merges durations closer than sqrt(eps) relatively (see bench/churn/README.md); the statistic differs from Go in the last digits.
# Usage: Rscript bench/logrank/survdiff.R /tmp/logrank_1m.csv
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(survival))
d <- read.csv(if (length(args)) args[1] else "/tmp/logrank_1m.csv", colClasses = c("numeric", "integer", "integer"))
invisible(survdiff(Surv(duration, churned) ~ group, data = d))
t <- system.time(s <- survdiff(Surv(duration, churned) ~ group, data = d))[["elapsed"]]
cat(sprintf("R %s survival %s survdiff: %.3f s  chisq %.6f p %.3g\n", getRversion(), packageVersion("survival"), t, s$chisq, pchisq(s$chisq, 1, lower.tail = FALSE)))
