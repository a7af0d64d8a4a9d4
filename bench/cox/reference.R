# Reference values for churn.FitCox from R's survival package (coxph, cox.zph, concordance,
# basehaz). Run from the repository root:
#   Rscript bench/cox/reference.R churn/testdata/cox > bench/cox/reference.txt
# It writes one CSV model frame per model into the given folder (columns entry, stop, event,
# weight, stratum, then the covariates) and prints the fitted values with 15 significant digits.
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "."
options(digits = 15)
cat("# R", R.version$major, ".", R.version$minor, " survival ", format(packageVersion("survival")), "\n", sep = "")

frame <- function(name, entry, stop, event, weight, stratum, X) {
  df <- data.frame(entry = entry, stop = stop, event = as.integer(event), weight = weight,
                   stratum = as.integer(stratum), X)
  path <- file.path(out, paste0(name, ".csv"))
  write.csv(df, path, row.names = FALSE, quote = FALSE)
  read.csv(path) # fit exactly the values the Go tests read
}

show <- function(name, fit, cmd) {
  cat("== ", name, "\n", sep = "")
  cat("command: ", cmd, "\n", sep = "")
  s <- summary(fit)
  cat("coef:", format(unname(coef(fit)), digits = 15), "\n")
  # With non-integer case weights coxph reports a robust variance; the model-based one
  # (what FitCox computes) is then fit$naive.var.
  v <- if (is.null(fit$naive.var)) fit$var else fit$naive.var
  cat("se:", format(unname(sqrt(diag(v))), digits = 15), "\n")
  cat("loglik:", format(fit$loglik, digits = 15), "\n")
  cat("lr:", format(unname(s$logtest[c("test", "pvalue")]), digits = 15), "\n")
  cat("wald:", format(c(fit$wald.test, pchisq(fit$wald.test, length(coef(fit)), lower.tail = FALSE)), digits = 15), "\n")
  cat("score:", format(unname(s$sctest[c("test", "pvalue")]), digits = 15), "\n")
  cat("concordance:", format(unname(fit$concordance["concordance"]), digits = 15), "\n")
  cat("iter:", fit$iter, "\n")
  z <- cox.zph(fit)
  cat("zph chisq:", format(unname(z$table[, "chisq"]), digits = 15), "\n")
  cat("zph p:", format(unname(z$table[, "p"]), digits = 15), "\n")
  b <- basehaz(fit, centered = FALSE)
  b$strata <- if (is.null(b$strata)) 0 else sub("stratum=", "", as.character(b$strata))
  cat("basehaz rows:", nrow(b), "\n")
  for (i in unique(round(seq(1, nrow(b), length.out = 6)))) {
    cat("basehaz:", b$strata[i], format(b$time[i], digits = 15), format(b$hazard[i], digits = 15), "\n")
  }
}

# lung: NCCTG advanced lung cancer (survival::lung), complete cases of age, sex, ph.ecog.
l <- na.omit(lung[, c("time", "status", "age", "sex", "ph.ecog")])
f <- frame("lung", 0, l$time, l$status == 2, 1, 0, l[, c("age", "sex", "ph.ecog")])
show("lung efron", coxph(Surv(stop, event) ~ age + sex + ph.ecog, data = f),
     "coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = na.omit(lung[, c('time','status','age','sex','ph.ecog')]))")
show("lung breslow", coxph(Surv(stop, event) ~ age + sex + ph.ecog, data = f, ties = "breslow"),
     "same, ties = 'breslow'")

# veteran: VA lung cancer trial (survival::veteran), strata by cell type, case weights
# w = 1 + (row index mod 3)/2.
v <- veteran
w <- 1 + ((seq_len(nrow(v)) - 1) %% 3) / 2
f <- frame("veteran", 0, v$time, v$status == 1, w, as.integer(v$celltype) - 1,
           data.frame(trt = v$trt - 1, karno = v$karno, age = v$age, diagtime = v$diagtime))
show("veteran strata", coxph(Surv(stop, event) ~ trt + karno + age + diagtime + strata(stratum), data = f),
     "coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime + strata(celltype), data = veteran)")
show("veteran weights", coxph(Surv(stop, event) ~ trt + karno + age + diagtime, data = f, weights = weight),
     "coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime, data = veteran, weights = 1 + ((seq_len(137)-1) %% 3)/2)")

# ovarian: ovarian cancer trial (survival::ovarian).
o <- ovarian
f <- frame("ovarian", 0, o$futime, o$fustat == 1, 1, 0, data.frame(age = o$age, ecog = o$ecog.ps, rx = o$rx - 1))
show("ovarian", coxph(Surv(stop, event) ~ age + ecog + rx, data = f),
     "coxph(Surv(futime, fustat) ~ age + I(ecog.ps) + I(rx-1), data = ovarian)")

# rats: litter-matched tumour onset (survival::rats), female rats, one stratum per litter.
r <- rats[rats$sex == "f", ]
f <- frame("rats", 0, r$time, r$status == 1, 1, r$litter, data.frame(rx = r$rx))
show("rats strata", coxph(Surv(stop, event) ~ rx + strata(stratum), data = f),
     "coxph(Surv(time, status) ~ rx + strata(litter), data = rats[rats$sex == 'f', ])")

# bladder: recurrences of bladder cancer (survival::bladder, WLW form), strata by recurrence
# number, model-based (not robust) variance; many tied times.
bl <- bladder
f <- frame("bladder", 0, bl$stop, bl$event == 1, 1, bl$enum, data.frame(rx = bl$rx - 1, size = bl$size, number = bl$number))
show("bladder strata", coxph(Surv(stop, event) ~ rx + size + number + strata(stratum), data = f),
     "coxph(Surv(stop, event) ~ I(rx-1) + size + number + strata(enum), data = bladder)")

# heart: Stanford heart transplant (survival::heart), counting-process (late entry) form.
h <- heart
f <- frame("heart", h$start, h$stop, h$event == 1, 1, 0, data.frame(age = h$age, year = h$year, surgery = h$surgery, transplant = as.integer(h$transplant) - 1))
show("heart entry", coxph(Surv(entry, stop, event) ~ age + year + surgery + transplant, data = f),
     "coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart)")
