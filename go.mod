module github.com/cxkit/cxkit

go 1.26.0

require (
	github.com/stretchr/testify v1.12.1
	gonum.org/v1/gonum v0.17.0
)

require (
	github.com/DataDog/sketches-go v1.4.8 // indirect
	github.com/rickar/cal/v2 v2.1.13 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
