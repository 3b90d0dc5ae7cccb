// Package vault is the Go SDK for the Sessions API of Vault, a multi-tenant
// user-management service.
package vault
