// Package clv computes customer lifetime value (CLV).
//
// (Package documentation in progress: see the files of this package.)
package clv
