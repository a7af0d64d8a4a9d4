# Independent check of journey.RelativeImportance on R's swiss data (datasets package).
# LMG by brute force: the increase in R^2 (from lm) when each predictor enters, averaged over
# all orderings of the predictors. Relative weights by Johnson (2000) from eigen().
# Run: Rscript relaimpo_check.R
d <- swiss
y <- d$Fertility
X <- d[, c("Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality")]
r2 <- function(vars) if (length(vars) == 0) 0 else summary(lm(y ~ ., data = X[, vars, drop = FALSE]))$r.squared
perms <- function(v) if (length(v) <= 1) list(v) else do.call(c, lapply(seq_along(v), function(i) lapply(perms(v[-i]), function(p) c(v[i], p))))
ps <- perms(names(X))
lmg <- setNames(numeric(ncol(X)), names(X))
for (p in ps) { prev <- 0; for (k in seq_along(p)) { cur <- r2(p[1:k]); lmg[p[k]] <- lmg[p[k]] + cur - prev; prev <- cur } }
lmg <- lmg / length(ps)
R <- cor(X); rxy <- cor(X, y)
e <- eigen(R); L <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
beta <- solve(L, rxy)
rw <- as.vector((L^2) %*% (beta^2)); names(rw) <- names(X)
cat(sprintf("R2 %.10f\n", r2(names(X))))
for (n in names(X)) cat(sprintf("%s lmg %.10f rw %.10f\n", n, lmg[n], rw[n]))
# Weighted: weights 1..47 (cov.wt / lm weights)
w <- seq_len(nrow(X))
r2w <- function(vars) if (length(vars) == 0) 0 else summary(lm(y ~ ., data = X[, vars, drop = FALSE], weights = w))$r.squared
lmgw <- setNames(numeric(ncol(X)), names(X))
for (p in ps) { prev <- 0; for (k in seq_along(p)) { cur <- r2w(p[1:k]); lmgw[p[k]] <- lmgw[p[k]] + cur - prev; prev <- cur } }
lmgw <- lmgw / length(ps)
cat(sprintf("weighted R2 %.10f\n", r2w(names(X))))
for (n in names(X)) cat(sprintf("%s weighted lmg %.10f\n", n, lmgw[n]))
write.csv(swiss, "swiss.csv")
