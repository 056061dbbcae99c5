// Command major2 is a frontend plugin, for host/plugin's tests only, that
// speaks protocol major 2 in its go-plugin handshake, as a plugin built
// against a future SDK would. The host must refuse it, naming both
// versions.
package main

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"

	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

type future struct{ frontend.UnimplementedFrontend }

func (future) Describe(context.Context, frontend.DescribeRequest) (*frontend.Description, error) {
	return &frontend.Description{Name: "major2", Version: "2.0.0", ISA: "toy", Extensions: []string{".toy"}}, nil
}

func main() {
	hs := frontend.Handshake
	hs.ProtocolVersion = 2
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: hs,
		Plugins:         goplugin.PluginSet{frontend.PluginName: &frontend.Plugin{Impl: future{}}},
		GRPCServer:      goplugin.DefaultGRPCServer,
	})
}
