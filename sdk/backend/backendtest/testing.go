package backendtest

import (
	"context"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// TestInProcess serves impl over go-plugin's in-process gRPC test
// connection, runs the kit through a [backend.Client] and reports each failure
// with t.Error.
func TestInProcess(t testing.TB, impl backend.Backend) {
	t.Helper()
	c := pluginv1.DispenseInProcess(t, backend.PluginName, &backend.Plugin{Impl: impl}).(*backend.Client)
	report(t, Run(context.Background(), c))
}

// TestBinary starts the plugin binary at path as the host would (go-plugin,
// gRPC only, AutoMTLS), runs the kit and reports each failure with t.Error.
// The plugin's log goes to t.Log.
func TestBinary(t testing.TB, path string) {
	t.Helper()
	c := pluginv1.DispenseBinary(t, path, backend.PluginName, &backend.Plugin{}).(*backend.Client)
	report(t, Run(context.Background(), c))
}

func report(t testing.TB, errs []error) {
	t.Helper()
	for _, err := range errs {
		t.Error(err)
	}
}
