# Reference values for churn.BySegment (k-group log-rank, per-segment Kaplan–Meier) and for
# churn's Cox residuals (Schoenfeld, scaled Schoenfeld as cox.zph, martingale, deviance),
# from R's survival package. Run from the repository root:
#   Rscript churn/testdata/survref/reference.R > churn/testdata/survref/reference.txt
# It reads the model frames of churn/testdata/cox (written by bench/cox/reference.R from the
# survival package's data sets) and writes CSV files into churn/testdata/survref.
suppressMessages(library(survival))
options(digits = 15)
src <- "churn/testdata/cox"
out <- "churn/testdata/survref"
cat("# R ", R.version$major, ".", R.version$minor, " survival ", format(packageVersion("survival")), "\n", sep = "")
g <- function(x) format(x, digits = 15)

# ---- segments: survdiff (k groups), pairwise survdiff with p.adjust, survfit per group ----
lung <- read.csv(file.path(src, "lung.csv"))
vet <- read.csv(file.path(src, "veteran.csv"))
sets <- list(
  list(name = "veteran_celltype", d = vet, grp = vet$stratum,
       cmd = "survdiff(Surv(time, status) ~ celltype, data = veteran) (celltype code - 1 = stratum column of veteran.csv)"),
  list(name = "lung_ecog", d = lung, grp = lung$ph.ecog,
       cmd = "survdiff(Surv(time, status == 2) ~ ph.ecog, data = na.omit(lung[, c('time','status','age','sex','ph.ecog')]))"))
km <- NULL
for (s in sets) {
  d <- s$d; d$grp <- s$grp
  sd <- survdiff(Surv(stop, event) ~ grp, data = d)
  cat("== logrank", s$name, "\n")
  cat("command:", s$cmd, "\n")
  cat("groups:", g(sort(unique(d$grp))), "\n")
  cat("chisq:", g(sd$chisq), "\n")
  cat("df:", length(sd$n) - 1, "\n")
  cat("p:", g(pchisq(sd$chisq, length(sd$n) - 1, lower.tail = FALSE)), "\n")
  cat("obs:", g(sd$obs), "\n")
  cat("exp:", g(sd$exp), "\n")
  lv <- sort(unique(d$grp))
  pairs <- NULL; ps <- NULL
  for (a in seq_along(lv)) for (b in seq_along(lv)) if (a < b) {
    sub <- d[d$grp %in% c(lv[a], lv[b]), ]
    pd <- survdiff(Surv(stop, event) ~ grp, data = sub)
    p <- pchisq(pd$chisq, 1, lower.tail = FALSE)
    pairs <- rbind(pairs, c(lv[a], lv[b], pd$chisq, p)); ps <- c(ps, p)
  }
  cat("pairs (a, b, chisq, p, holm, BH):\n")
  ho <- p.adjust(ps, "holm"); bh <- p.adjust(ps, "BH")
  for (i in seq_len(nrow(pairs))) cat("pair:", g(pairs[i, ]), g(ho[i]), g(bh[i]), "\n")
  for (v in lv) {
    f <- survfit(Surv(stop, event) ~ 1, data = d[d$grp == v, ])
    km <- rbind(km, data.frame(set = s$name, group = v, time = f$time, n.risk = f$n.risk,
                               n.event = f$n.event, n.censor = f$n.censor, surv = f$surv,
                               std.err = f$std.err))
  }
}
write.csv(km, file.path(out, "km.csv"), row.names = FALSE, quote = FALSE)

# ---- Cox residuals ----
heart <- read.csv(file.path(src, "heart.csv"))
models <- list(
  list(name = "lung_efron", fit = coxph(Surv(stop, event) ~ age + sex + ph.ecog, data = lung),
       cmd = "coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = na.omit(lung[, c('time','status','age','sex','ph.ecog')]))"),
  list(name = "lung_breslow", fit = coxph(Surv(stop, event) ~ age + sex + ph.ecog, data = lung, ties = "breslow"),
       cmd = "coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = ..., ties = 'breslow')"),
  list(name = "veteran_strata", fit = coxph(Surv(stop, event) ~ trt + karno + age + diagtime + strata(stratum), data = vet),
       cmd = "coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime + strata(celltype), data = veteran)"),
  list(name = "veteran_weights", fit = coxph(Surv(stop, event) ~ trt + karno + age + diagtime, data = vet, weights = weight),
       cmd = "coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime, data = veteran, weights = 1 + ((seq_len(137)-1) %% 3)/2)"),
  list(name = "heart", fit = coxph(Surv(entry, stop, event) ~ age + year + surgery + transplant, data = heart),
       cmd = "coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart)"))
for (m in models) {
  fit <- m$fit
  cat("== residuals", m$name, "\n")
  cat("command:", m$cmd, "\n")
  cat("coef:", g(unname(coef(fit))), "\n")
  z <- cox.zph(fit)
  sch <- residuals(fit, type = "schoenfeld")
  strat <- if (is.null(z$strata)) 0 else as.integer(z$strata) - 1
  # cox.zph rows and residuals(type = "schoenfeld") rows are both in (stratum, time) order
  df <- data.frame(stratum = strat, time = z$time, x = z$x, raw = unname(as.matrix(sch)), y = unname(z$y))
  write.csv(df, file.path(out, paste0("schoenfeld_", m$name, ".csv")), row.names = FALSE, quote = FALSE)
  mr <- data.frame(martingale = unname(residuals(fit, type = "martingale")),
                   deviance = unname(residuals(fit, type = "deviance")),
                   score = unname(as.matrix(residuals(fit, type = "score"))))
  write.csv(mr, file.path(out, paste0("martingale_", m$name, ".csv")), row.names = FALSE, quote = FALSE)
}

# ---- robust (sandwich) variance: coxph(..., robust = TRUE) and cluster() ----
cl <- function(n, k) (seq_len(n) - 1) %/% k
robust <- list(
  list(name = "lung_efron", fit = coxph(Surv(stop, event) ~ age + sex + ph.ecog, data = lung, robust = TRUE),
       cmd = "coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = na.omit(lung[, ...]), robust = TRUE)"),
  list(name = "lung_breslow", fit = coxph(Surv(stop, event) ~ age + sex + ph.ecog, data = lung, ties = "breslow", robust = TRUE),
       cmd = "the same with ties = 'breslow'"),
  list(name = "veteran_strata", fit = coxph(Surv(stop, event) ~ trt + karno + age + diagtime + strata(stratum), data = vet, robust = TRUE),
       cmd = "coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime + strata(celltype), data = veteran, robust = TRUE)"),
  list(name = "veteran_weights", fit = coxph(Surv(stop, event) ~ trt + karno + age + diagtime, data = vet, weights = weight),
       cmd = "coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime, data = veteran, weights = 1 + ((seq_len(137)-1) %% 3)/2) (robust by default with non-integer weights)"),
  list(name = "heart", fit = coxph(Surv(entry, stop, event) ~ age + year + surgery + transplant + cluster(seq_len(nrow(heart))), data = heart),
       cmd = "coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(seq_len(172)), data = heart) (each row its own cluster)"),
  list(name = "lung_cluster3", fit = coxph(Surv(stop, event) ~ age + sex + ph.ecog + cluster(cl(nrow(lung), 3)), data = lung),
       cmd = "coxph(Surv(time, status == 2) ~ age + sex + ph.ecog + cluster((seq_len(227) - 1) %/% 3), data = na.omit(lung[, ...]))"),
  list(name = "heart_cluster", fit = coxph(Surv(entry, stop, event) ~ age + year + surgery + transplant + cluster(cl(nrow(heart), 2)), data = heart),
       cmd = "coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster((seq_len(172) - 1) %/% 2), data = heart)"))
for (m in robust) {
  cat("== robust", m$name, "\n")
  cat("command:", m$cmd, "\n")
  cat("robust se:", g(unname(sqrt(diag(m$fit$var)))), "\n")
  cat("robust var:", g(unname(as.vector(m$fit$var))), "\n")
  cat("wald:", g(unname(m$fit$wald.test)), "\n")
}
