// Command malformed is a frontend plugin, for host/plugin's tests only, that
// breaks the protocol's framing in Execute. It does not use the SDK, which
// cannot send malformed streams: it serves the Frontend service with
// protobuf messages it encodes by hand (which shows, in passing, that the
// contract is the .proto files and not the Go SDK). What it breaks depends on
// the suffix of its name, oneiros-frontend-malformed-<mode>:
//
//	oversize   a 2 MiB trace chunk (the limit is 1 MiB)
//	order      chunks numbered 0, then 2
//	noresult   two chunks, then the end of the stream without a result
//	notproto   bytes that are not a protobuf message
package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// frame is an encoded message, passed through by codec.
type frame []byte

// codec passes frames through and leaves go-plugin's own services
// (health, controller, stdio) to protobuf.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	if f, ok := v.(*frame); ok {
		return *f, nil
	}
	return proto.Marshal(v.(proto.Message))
}

func (codec) Unmarshal(b []byte, v any) error {
	if f, ok := v.(*frame); ok {
		*f = append((*f)[:0], b...)
		return nil
	}
	return proto.Unmarshal(b, v.(proto.Message))
}

func (codec) Name() string { return "proto" }

func bytesField(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func varintField(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

// Field numbers from proto/oneiros/plugin/v1.
func describeResponse() frame {
	var info []byte
	info = bytesField(info, 1, []byte("malformed"))  // PluginInfo.name
	info = bytesField(info, 2, []byte("0.0.1-test")) // PluginInfo.version
	info = varintField(info, 3, uint64(frontend.ProtocolMajor))
	info = varintField(info, 4, uint64(frontend.ProtocolMinor))
	var r []byte
	r = bytesField(r, 1, info)           // DescribeFrontend.Response.plugin
	r = bytesField(r, 2, []byte("toy"))  // .isa
	r = bytesField(r, 3, []byte(".toy")) // .extensions
	return r
}

func loadResponse() frame {
	return bytesField(bytesField(nil, 1, []byte("h")), 2, []byte("id")) // handle, program_id
}

func chunk(seq uint64, n int) *frame {
	c := bytesField(varintField(nil, 1, seq), 2, make([]byte, n)) // TraceChunk.sequence, .data
	f := frame(bytesField(nil, 1, c))                             // Execute.Response.chunk
	return &f
}

func unary(resp func() frame) func(any, context.Context, func(any) error, grpc.UnaryServerInterceptor) (any, error) {
	return func(_ any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
		var req frame
		if err := dec(&req); err != nil {
			return nil, err
		}
		f := resp()
		return &f, nil
	}
}

func execute(mode string) func(any, grpc.ServerStream) error {
	return func(_ any, s grpc.ServerStream) error {
		var req frame
		if err := s.RecvMsg(&req); err != nil {
			return err
		}
		var msgs []*frame
		switch mode {
		case "oversize":
			msgs = []*frame{chunk(0, 2<<20)}
		case "order":
			msgs = []*frame{chunk(0, 100), chunk(2, 100)}
		case "noresult":
			msgs = []*frame{chunk(0, 100), chunk(1, 100)}
		case "notproto":
			f := frame{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
			msgs = []*frame{&f}
		}
		for _, m := range msgs {
			if err := s.SendMsg(m); err != nil {
				return err
			}
		}
		return nil
	}
}

type rawPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	mode string
}

func (p rawPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	s.RegisterService(&grpc.ServiceDesc{
		ServiceName: "oneiros.plugin.v1.Frontend",
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{
			{MethodName: "Describe", Handler: unary(describeResponse)},
			{MethodName: "Load", Handler: unary(loadResponse)},
		},
		Streams: []grpc.StreamDesc{{StreamName: "Execute", ServerStreams: true, Handler: execute(p.mode)}},
	}, struct{}{})
	return nil
}

func (rawPlugin) GRPCClient(context.Context, *goplugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, nil
}

func main() {
	name := filepath.Base(os.Args[0])
	mode := name[strings.LastIndex(name, "-")+1:]
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: frontend.Handshake,
		Plugins:         goplugin.PluginSet{frontend.PluginName: rawPlugin{mode: mode}},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, grpc.ForceServerCodec(codec{}))...)
		},
	})
}
