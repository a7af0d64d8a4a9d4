// Package countmodel is the numeric core of package clv's purchase models: the compressed
// histories the likelihoods read, the maximum-likelihood machinery (warm start on a
// subsample, preconditioning, run-off and identification checks, the information matrix from
// differences of analytic gradients), the parallel loops, the special functions (among them
// the 2F1 power series of the BG family's conditional expectation, with its proven stopping
// rule, and the Taylor expansions at anchors that batch predictions use above z = 1/2: see
// series.go), and the engines of the BG/NBD family and of Pareto/NBD.
//
// It is internal: package clv validates its public input, names customers in errors and
// wraps these functions behind its model types. Errors returned here wrap the cxkit
// sentinels that clv re-exports, and the messages carry clv's prefix.
package countmodel
