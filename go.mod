module github.com/vault-dev/vault-go

go 1.23

require (
	github.com/getkin/kin-openapi v0.135.0 // indirect
	github.com/google/go-querystring v1.2.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
	github.com/stretchr/testify v1.11.1 // indirect
)
