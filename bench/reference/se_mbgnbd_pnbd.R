suppressMessages(library(hypergeo))
d <- read.csv("testdata/cdnow/cdnow_customers_summary.csv")
names(d) <- tolower(names(d))
x <- d$frequency; tx <- d$recency; TT <- d$t
# MBG/NBD (Batislam, Denizel & Filiztekin 2007)
mbg <- function(lp) {
  r <- exp(lp[1]); al <- exp(lp[2]); a <- exp(lp[3]); b <- exp(lp[4])
  l1 <- -(r + x) * log(al + TT); l2 <- log(a / (b + x)) - (r + x) * log(al + tx)
  m <- pmax(l1, l2)
  -sum(lgamma(r + x) - lgamma(r) + r * log(al) + lbeta(a, b + x + 1) - lbeta(a, b) + m + log(exp(l1 - m) + exp(l2 - m)))
}
o <- optim(log(c(0.5, 6, 0.9, 1.6)), mbg, method = "BFGS", control = list(reltol = 1e-14, maxit = 10000))
o <- optim(o$par, mbg, method = "Nelder-Mead", control = list(reltol = 1e-15, maxit = 20000))
H <- optimHess(o$par, mbg); p <- exp(o$par)
cat(sprintf("MBG/NBD par %.6f %.6f %.6f %.6f se %.6f %.6f %.6f %.6f ll %.4f\n", p[1], p[2], p[3], p[4],
  (p * sqrt(diag(solve(H))))[1], (p * sqrt(diag(solve(H))))[2], (p * sqrt(diag(solve(H))))[3], (p * sqrt(diag(solve(H))))[4], -o$value))
# Pareto/NBD (Fader & Hardie note 008), on the distinct histories with counts
key <- paste(x, tx, TT); u <- !duplicated(key); w <- as.vector(table(key)[key[u]])
ux <- x[u]; utx <- tx[u]; uT <- TT[u]
pnbd <- function(lp) {
  r <- exp(lp[1]); al <- exp(lp[2]); s <- exp(lp[3]); be <- exp(lp[4])
  ll <- 0
  for (i in seq_along(ux)) {
    xx <- ux[i]; t1 <- utx[i]; t2 <- uT[i]; A <- r + s + xx
    if (al >= be) { h <- al; l <- be; B <- s + 1 } else { h <- be; l <- al; B <- r + xx }
    F1 <- Re(hypergeo(A, B, A + 1, (h - l) / (h + t1))); F2 <- Re(hypergeo(A, B, A + 1, (h - l) / (h + t2)))
    a0 <- F1 / (h + t1)^A - F2 / (h + t2)^A
    li <- lgamma(r + xx) - lgamma(r) + r * log(al) + s * log(be) + log(1 / ((al + t2)^(r + xx) * (be + t2)^s) + s / A * a0)
    ll <- ll + w[i] * li
  }
  -ll
}
p0 <- c(0.553276, 10.577614, 0.606214, 11.667913)
cat(sprintf("Pareto/NBD ll at p0 %.6f\n", -pnbd(log(p0))))
H <- optimHess(log(p0), pnbd)
s <- p0 * sqrt(diag(solve(H)))
cat(sprintf("Pareto/NBD se %.6f %.6f %.6f %.6f\n", s[1], s[2], s[3], s[4]))
