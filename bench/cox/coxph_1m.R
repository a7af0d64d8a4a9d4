# Time R's coxph on 1 M synthetic subjects with 5 covariates (proportional hazards,
# beta = (0.5, -0.3, 0.2, 0.1, -0.4), uniform(-1, 1) covariates, exponential times, uniform(0, 2)
# censoring) — the same design as churn's BenchmarkFitCox1M, not the same draws.
#   Rscript bench/cox/coxph_1m.R
suppressMessages(library(survival))
set.seed(1)
n <- 1e6
X <- matrix(runif(5 * n, -1, 1), n)
eta <- drop(X %*% c(0.5, -0.3, 0.2, 0.1, -0.4))
tt <- rexp(n) / exp(eta); cc <- runif(n, 0, 2)
d <- data.frame(time = pmin(tt, cc), status = as.integer(tt <= cc), X)
for (i in 1:3) print(system.time(f <- coxph(Surv(time, status) ~ X1 + X2 + X3 + X4 + X5, data = d)))
print(coef(f))
