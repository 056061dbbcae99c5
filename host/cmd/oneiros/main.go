// Command oneiros is the OneirOS host: it plans, proves, verifies and benchmarks.
// Everything lives in package cli; this file stays thin.
package main

import "github.com/oneiros-zk/oneiros/host/cli"

func main() { cli.Run() }
