module github.com/cxkit/cxkit

go 1.26.0

require (
	github.com/DataDog/sketches-go v1.4.8
	github.com/rickar/cal/v2 v2.1.13
	github.com/stretchr/testify v1.12.1
	golang.org/x/exp v0.0.0-20261014143641-f0251eb4aa3e
	gonum.org/v1/gonum v0.17.0
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/tools v0.52.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
