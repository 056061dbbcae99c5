package container

import "github.com/oneiros-zk/oneiros/sdk/evm"

// Parse reads a transaction container (JSON: "env", "pre", "transaction"). The format
// is defined by package sdk/evm, which the host's state-test runner shares today.
func Parse(src []byte) (*evm.Container, error) { return evm.ParseContainer(src) }
