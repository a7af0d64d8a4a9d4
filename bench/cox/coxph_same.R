# R side of bench/cox/run.sh: reads the binary file written by `coxbench -gen` (n·7 little-endian
# doubles, column after column: time, status, x1..x5), times one coxph fit (Efron ties, R's
# defaults except timefix = FALSE, so that R does not merge event times closer than
# sqrt(machine eps) and fits exactly the data Go fits), and prints the coefficients to 17 digits.
#   Rscript bench/cox/coxph_same.R /tmp/cox_1m.bin
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args)) args[1] else "/tmp/cox_1m.bin"
suppressPackageStartupMessages(library(survival))
n <- file.size(path) / (8 * 7)
v <- readBin(path, "double", n = 7 * n, size = 8, endian = "little")
d <- as.data.frame(matrix(v, nrow = n, ncol = 7, dimnames = list(NULL, c("time", "status", paste0("x", 1:5)))))
rm(v)
t <- system.time(f <- coxph(Surv(time, status) ~ x1 + x2 + x3 + x4 + x5, data = d,
                            control = coxph.control(timefix = FALSE)))[["elapsed"]]
cat(sprintf("R %s survival %s coxph (n %d, events %d; incl. its concordance): %.3f s  iterations %d  loglik %.10g  concordance %.6f\n",
            getRversion(), packageVersion("survival"), f$n, f$nevent, t, f$iter, f$loglik[2], f$concordance[["concordance"]]))
cat("R coef", sprintf("%.17g", coef(f)), "\n")
