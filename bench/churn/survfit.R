# R side of the bench/churn comparison: time survival::survfit on the shared CSV.
# Usage: Rscript bench/churn/survfit.R /tmp/churn_1m.csv [reps]
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[1] else "/tmp/churn_1m.csv"
reps <- if (length(args) >= 2) as.integer(args[2]) else 5L
suppressPackageStartupMessages(library(survival))
d <- read.csv(path, colClasses = c("numeric", "integer"))
cat(R.version.string, "survival", as.character(packageVersion("survival")), "\n")
cat("subjects:", nrow(d), " events:", sum(d$churned), "\n")
fit <- survfit(Surv(duration, churned) ~ 1, data = d)  # warm-up
times <- sapply(seq_len(reps), function(i)
  system.time(fit <- survfit(Surv(duration, churned) ~ 1, data = d))[["elapsed"]])
cat("survfit elapsed (s):", format(times, nsmall = 3), "\n")
cat(sprintf("survfit median of %d reps: %.3f s\n", reps, median(times)))
s <- summary(fit, times = c(6, 12, 24))
for (i in seq_along(s$time))
  cat(sprintf("S(%g) = %.10f  n.risk = %d\n", s$time[i], s$surv[i], s$n.risk[i]))
cat("distinct times:", length(fit$time), " median:", format(quantile(fit, 0.5)$quantile, digits = 7), "\n")
# Survival's Surv() merges durations that differ by less than sqrt(machine eps) relatively
# (timefix = TRUE, the default). churn.KaplanMeier treats every distinct float64 as its own
# time, so the exact comparison is with timefix = FALSE (not timed):
fit0 <- survfit(Surv(duration, churned) ~ 1, data = d, timefix = FALSE)
s0 <- summary(fit0, times = c(6, 12, 24))
for (i in seq_along(s0$time))
  cat(sprintf("timefix=FALSE: S(%g) = %.10f  n.risk = %d\n", s0$time[i], s0$surv[i], s0$n.risk[i]))
cat("timefix=FALSE: distinct times:", length(fit0$time), " median:", format(quantile(fit0, 0.5)$quantile, digits = 8), "\n")
