package main

import (
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/frontend/frontendtest"
)

func TestConformance(t *testing.T) { frontendtest.TestInProcess(t, newWasm()) }
