package pluginv1

import (
	"os"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// The protocol version. The major goes into go-plugin's handshake; the minor
// is reported by Describe. Both must match the "Protocol version: M.m" header
// of every file in proto/oneiros/plugin/v1 (proto_version_test.go).
const (
	ProtocolMajor = 1
	ProtocolMinor = 4 // 1.1: EngineParams.zk; 1.2: EngineParams.logup_grinding_bits, deep_grinding_bits; 1.3: EngineParams.ext_degree, hash, ProgramInfo source map; 1.4: Frontend.ConformanceCases, ConformanceJudge
)

// Names of the two plugin kinds in go-plugin's plugin set.
const (
	FrontendPluginName = "frontend"
	BackendPluginName  = "backend"
)

// MaxChunkSize bounds the data of one trace, record or proof chunk.
const MaxChunkSize = 1 << 20

// MaxMessageSize is the gRPC message limit of both ends, raised from gRPC's
// default receive limit of 4 MiB on purpose: a normalized program travels
// whole in Load's response and in ProveSegment's header, and example programs
// travel whole in Describe, so a program with a large initial memory image
// must fit in one message. Bulk data (trace records, proofs) is chunked to
// MaxChunkSize and never relies on this limit; 64 MiB keeps a confused or
// hostile peer from making either side allocate without bound.
const MaxMessageSize = 64 << 20

// Handshake is go-plugin's handshake for every OneirOS plugin, frontend or
// backend. The magic cookie is not a secret or a security measure: it only
// keeps a plugin binary started by hand from waiting for a host forever.
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  ProtocolMajor,
	MagicCookieKey:   "ONEIROS_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "7f3c9a1e0b5d4c2a8e6f1d3b9c7a5e20",
}

// CallOptions are passed on every client call, so that the limits hold even
// on connections the SDK did not dial (go-plugin's TestPluginGRPCConn).
func CallOptions() []grpc.CallOption {
	return []grpc.CallOption{
		grpc.MaxCallRecvMsgSize(MaxMessageSize),
		grpc.MaxCallSendMsgSize(MaxMessageSize),
	}
}

// NewServer is the gRPC server constructor handed to go-plugin.
func NewServer(opts []grpc.ServerOption) *grpc.Server {
	opts = append(opts,
		grpc.MaxRecvMsgSize(MaxMessageSize),
		grpc.MaxSendMsgSize(MaxMessageSize),
	)
	return grpc.NewServer(opts...)
}

// Serve runs a plugin process serving ps; it returns when the host is done.
// Started by a host, the plugin exits when its host dies (watchHost).
func Serve(ps goplugin.PluginSet) {
	if os.Getenv(Handshake.MagicCookieKey) == Handshake.MagicCookieValue {
		watchHost()
	}
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         ps,
		GRPCServer:      NewServer,
	})
}
