package main

import (
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/frontend/frontendtest"
)

func TestConformanceKit(t *testing.T) { frontendtest.TestInProcess(t, newSVM()) }
