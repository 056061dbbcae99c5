package pluginv1

import (
	"math/rand/v2"
	"os/exec"
	"testing"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// DispenseInProcess serves p over go-plugin's in-process gRPC test
// connection and returns the client side of the plugin called name; the
// connection closes when t ends. The conformance kits' TestInProcess use it.
func DispenseInProcess(t testing.TB, name string, p goplugin.Plugin) any {
	t.Helper()
	client, _ := goplugin.TestPluginGRPCConn(t, false, goplugin.PluginSet{name: p})
	t.Cleanup(func() { client.Close() })
	raw, err := client.Dispense(name)
	if err != nil {
		t.Fatalf("dispensing the %s plugin: %v", name, err)
	}
	return raw
}

// DispenseBinary starts the plugin binary at path as the host does (gRPC
// only, AutoMTLS), logging to t.Log, and returns the client side of the
// plugin called name; the process is killed when t ends. The conformance
// kits' TestBinary use it.
func DispenseBinary(t testing.TB, path, name string, p goplugin.Plugin) any {
	t.Helper()
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          goplugin.PluginSet{name: p},
		Cmd:              exec.Command(path),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: name + "test", Output: logWriter{t}, Level: hclog.Info}),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	raw, err := rpc.Dispense(name)
	if err != nil {
		t.Fatalf("dispensing %s: %v", path, err)
	}
	return raw
}

// Garbage returns n bytes that no program or record decoder should accept:
// a fixed pseudo-random stream, the same on every run.
func Garbage(n int) []byte {
	r := rand.New(rand.NewPCG(0x6f6e6569, 0x726f73))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
