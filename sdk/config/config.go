package config

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/oneiros-zk/oneiros/configs"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// Version is the configuration schema version this package reads and writes.
const Version = 1

// MaxFileBytes bounds the size of a configuration file that [Load] and [ReadFile] accept.
const MaxFileBytes = 1 << 20

// Config is the effective configuration of OneirOS: the embedded defaults with the
// user's layers laid over them. Obtain one from [Default], [Parse] or [Load]; a Config
// built by hand should pass [Config.Validate] before use.
//
// The zero value is not a valid configuration. A Config is a plain value apart from the
// record of where each setting came from ([Config.Origin]); copy one with [Config.Clone].
type Config struct {
	Version  int      `yaml:"version" json:"version"`
	Profile  string   `yaml:"profile" json:"profile"`
	Engine   Engine   `yaml:"engine" json:"engine"`
	Segments Segments `yaml:"segments" json:"segments"`
	Backend  Backend  `yaml:"backend" json:"backend"`
	Plugins  Plugins  `yaml:"plugins" json:"plugins"`
	Limits   Limits   `yaml:"limits" json:"limits"`
	// Distributed configures the distributed profile's NATS connection and workers.
	Distributed Distributed `yaml:"distributed" json:"distributed"`
	Logging     Logging     `yaml:"logging" json:"logging"`

	origin map[string]Origin // setting key (and list/map entry key) -> where its value came from
}

// Engine holds the parameters of the Hemera Engine. The engine computes the conjectured
// security level from them and refuses anything below MinSecurityBits.
type Engine struct {
	Field           string `yaml:"field" json:"field"`                           // prime field; only "koalabear"
	Hash            string `yaml:"hash" json:"hash"`                             // commitments' and transcript's hash: "poseidon2" or "poseidon2-w24"
	LogBlowup       int    `yaml:"log_blowup" json:"log_blowup"`                 // LDE blowup = 2^LogBlowup
	NumQueries      int    `yaml:"num_queries" json:"num_queries"`               // FRI queries
	GrindingBits    int    `yaml:"grinding_bits" json:"grinding_bits"`           // proof-of-work bits before queries
	FRILogArity     int    `yaml:"fri_log_arity" json:"fri_log_arity"`           // FRI folding arity = 2^FRILogArity
	LogFinalPolyLen int    `yaml:"log_final_poly_len" json:"log_final_poly_len"` // FRI final polynomial has 2^k coefficients
	// LogUpGrindingBits and DEEPGrindingBits are proof-of-work bits before the LogUp
	// challenges and before the DEEP out-of-domain point (fri.Params): each adds its bits
	// to that round's provable security.
	LogUpGrindingBits int `yaml:"logup_grinding_bits" json:"logup_grinding_bits"`
	DEEPGrindingBits  int `yaml:"deep_grinding_bits" json:"deep_grinding_bits"`
	MinSecurityBits   int `yaml:"min_security_bits" json:"min_security_bits"` // floor on conjectured security (hemera.Analyze)
	// MinProvableBits is the floor on provable security (hemera.Analyze's unique-decoding
	// or Johnson total) that verification enforces; 0 is none.
	MinProvableBits int `yaml:"min_provable_bits" json:"min_provable_bits"`
	Workers         int `yaml:"workers" json:"workers"` // proving goroutines; 0 = number of CPUs
	// ZK makes proofs zero-knowledge (fri.Params.ZK): they reveal nothing of the input
	// tape or the trace beyond the claim (docs/security.md, "What a proof hides").
	ZK bool `yaml:"zk" json:"zk"`
	// ExtDegree is the degree of the extension field the challenges are drawn from
	// (fri.Params.ExtDegree): 4 (|F| ≈ 2^124) or 6 (≈ 2^186, the 128-bit preset).
	ExtDegree int `yaml:"ext_degree" json:"ext_degree"`
}

// Segments holds how continuations cut a run.
type Segments struct {
	SegmentCycles uint64 `yaml:"segment_cycles" json:"segment_cycles"` // max cycles per segment, a power of two
	// Shapes is how a segment's tables are sized: "natural" (each table the power of two
	// above its rows) or "catalogue" (each segment cut and padded to a shape of the
	// machine's catalogue, core/machine.CatalogueV1, so that its aggregation has the
	// catalogue's fixed vk_root: docs/leaf-shapes.md).
	Shapes string `yaml:"shapes" json:"shapes"`
}

// Catalogue reports whether segments are cut and padded to the machine's catalogue.
func (s Segments) Catalogue() bool { return s.Shapes == "catalogue" }

// FRI is the engine settings as fri.Params (the one mapping every caller uses).
func (e Engine) FRI() fri.Params {
	return fri.Params{LogBlowup: e.LogBlowup, NumQueries: e.NumQueries, GrindingBits: e.GrindingBits,
		LogArity: e.FRILogArity, LogFinalPolyLen: e.LogFinalPolyLen,
		LogUpGrindingBits: e.LogUpGrindingBits, DEEPGrindingBits: e.DEEPGrindingBits, ZK: e.ZK,
		ExtDegree: e.ExtDegree, Hash: e.HashScheme()}
}

// Hemera is the engine's configuration as hemera.Params: FRI, the floors and the workers
// (what the host's verifier, the bench commands and a backend in process use). A
// min_security_bits of 0 is the verifier's default floor, as sdk/verify reads it.
func (e Engine) Hemera() hemera.Params {
	return hemera.Params{FRI: e.FRI(), MinSecurityBits: cmp.Or(e.MinSecurityBits, hemera.DefaultMinSecurityBits),
		MinProvableBits: e.MinProvableBits, Workers: e.Workers}
}

// HashScheme is Hash as a hash.Scheme (Validate has checked the name).
func (e Engine) HashScheme() hash.Scheme {
	s, _ := hash.ParseScheme(e.Hash)
	return s
}

// Backend selects the proving backend plugin and the device inside it.
type Backend struct {
	Kind   string `yaml:"kind" json:"kind"`     // "auto", "cpu" or "cuda"
	Device string `yaml:"device" json:"device"` // "auto", "cpu" or "cuda"
}

// Plugins holds where plugins are found and how long they may take.
type Plugins struct {
	Dirs         []string          `yaml:"dirs" json:"dirs"`                   // extra search directories, as written
	SHA256       map[string]string `yaml:"sha256" json:"sha256"`               // binary name -> lower-case hex SHA-256
	StartTimeout time.Duration     `yaml:"start_timeout" json:"start_timeout"` // start and handshake
	CallTimeout  time.Duration     `yaml:"call_timeout" json:"call_timeout"`   // one prove or execute call
}

// Limits bound what one run may consume.
type Limits struct {
	MaxCycles      uint64 `yaml:"max_cycles" json:"max_cycles"`
	MaxMemoryBytes uint64 `yaml:"max_memory_bytes" json:"max_memory_bytes"`
	MaxInputBytes  uint64 `yaml:"max_input_bytes" json:"max_input_bytes"`
	MaxOutputBytes uint64 `yaml:"max_output_bytes" json:"max_output_bytes"`
}

// Distributed configures the distributed profile (host/distributed): the NATS server
// the coordinator and workers meet on, its credentials and TLS, how many workers the
// coordinator runs itself, and how long a job may go unacknowledged.
type Distributed struct {
	NATSURL      string        `yaml:"nats_url" json:"nats_url"` // "": an embedded server on 127.0.0.1
	Creds        string        `yaml:"creds" json:"creds"`       // NATS credentials file
	TLSCA        string        `yaml:"tls_ca" json:"tls_ca"`     // CA certificates (PEM)
	TLSCert      string        `yaml:"tls_cert" json:"tls_cert"` // client certificate (PEM)
	TLSKey       string        `yaml:"tls_key" json:"tls_key"`   // its key (PEM)
	LocalWorkers int           `yaml:"local_workers" json:"local_workers"`
	AckWait      time.Duration `yaml:"ack_wait" json:"ack_wait"`
}

// Logging sets the level and format of the host's log.
type Logging struct {
	Level  string `yaml:"level" json:"level"`   // "trace", "debug", "info", "warn" or "error"
	Format string `yaml:"format" json:"format"` // "text" or "json"
}

// Origin says where the value of a setting came from: a file and line, or a label such
// as "--log-level" or "profile standard" with Line 0.
type Origin struct {
	File string `yaml:"file" json:"file"`
	Line int    `yaml:"line,omitempty" json:"line,omitempty"`
}

func (o Origin) String() string {
	if o.Line > 0 {
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	}
	return o.File
}

var defaults struct {
	once sync.Once
	cfg  *Config
	err  error
}

// Default returns the canonical defaults embedded from configs/oneiros.default.yaml.
// Each call returns a fresh copy. An error means the embedded file is broken, which
// tests rule out.
func Default() (*Config, error) {
	defaults.once.Do(func() {
		c := &Config{origin: map[string]Origin{}}
		if err := decode(c, configs.DefaultName, configs.Default(), true); err != nil {
			defaults.err = fmt.Errorf("embedded defaults: %w", err)
			return
		}
		defaults.cfg = c
	})
	if defaults.err != nil {
		return nil, defaults.err
	}
	return defaults.cfg.Clone(), nil
}

// Parse returns the defaults with the YAML document data laid over them. name is what
// error messages call the document (usually its file name). Every problem is reported
// as an [*Error]; several at once come as an [ErrorList].
func Parse(name string, data []byte) (*Config, error) {
	c, err := Default()
	if err != nil {
		return nil, err
	}
	if err := c.Overlay(name, data); err != nil {
		return nil, err
	}
	return c, nil
}

// Load reads the file at path and returns the defaults with it laid over them.
func Load(path string) (*Config, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// ReadFile reads a configuration file, refusing anything larger than [MaxFileBytes].
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, &Error{File: path, Msg: fmt.Sprintf("file is larger than %d bytes; a configuration file is a few kilobytes", MaxFileBytes)}
	}
	return data, nil
}

// Overlay lays the YAML document data over c: every setting the document names replaces
// c's value (lists and maps are replaced whole), and sections it leaves out keep theirs.
// The result must pass [Config.Validate]. On error c is unchanged.
func (c *Config) Overlay(name string, data []byte) error {
	n := c.Clone()
	if err := decode(n, name, data, false); err != nil {
		return err
	}
	if err := n.Validate(); err != nil {
		return err
	}
	*c = *n
	return nil
}

// ApplyPreset lays the named preset (configs/presets/NAME.yaml: "default",
// "secure128") over c, as Overlay does; an unknown name is an error listing the presets.
func (c *Config) ApplyPreset(name string) error {
	data, ok := configs.Preset(name)
	if !ok {
		return &Error{Key: "--preset", Msg: fmt.Sprintf("unknown preset %q (want one of %s)", name, strings.Join(configs.PresetNames(), ", "))}
	}
	return c.Overlay("presets/"+name+".yaml", data)
}

// Clone returns a deep copy of c.
func (c *Config) Clone() *Config {
	n := *c
	n.Plugins.Dirs = append([]string{}, c.Plugins.Dirs...)
	n.Plugins.SHA256 = make(map[string]string, len(c.Plugins.SHA256))
	for k, v := range c.Plugins.SHA256 {
		n.Plugins.SHA256[k] = v
	}
	n.origin = make(map[string]Origin, len(c.origin))
	for k, v := range c.origin {
		n.origin[k] = v
	}
	return &n
}

// Origin says where the value of the setting key (such as "engine.log_blowup") came
// from. Entries of list and map settings have keys of their own
// ("plugins.dirs[0]", "plugins.sha256.oneiros-backend-cpu"); an unknown entry falls
// back to its setting's origin. A setting changed in Go keeps the origin of the value it
// replaced (use [Config.Set] to record one); a Config built from nothing has none.
func (c *Config) Origin(key string) Origin {
	for {
		if o, ok := c.origin[key]; ok {
			return o
		}
		parent := parentKey(key)
		if parent == key {
			return Origin{}
		}
		key = parent
	}
}

// Errorf returns an [*Error] about the setting key, placed where its value came from,
// so that code that checks a setting later (the engine, the plugin manager, the
// profile registry) reports it the way the loader does.
// The format may use %w; the wrapped error is kept in [Error.Err].
func (c *Config) Errorf(key, format string, args ...any) *Error {
	o := c.Origin(key)
	e := fmt.Errorf(format, args...)
	return &Error{File: o.File, Line: o.Line, Key: key, Msg: e.Error(), Err: errors.Unwrap(e)}
}

func (c *Config) setOrigin(key string, o Origin) {
	if c.origin == nil {
		c.origin = map[string]Origin{}
	}
	// A list or map replaced whole drops the origins of its old entries.
	if lookup(key) != nil {
		for k := range c.origin {
			if isEntry(k, key) {
				delete(c.origin, k)
			}
		}
	}
	c.origin[key] = o
}

// parentKey strips the last entry or component of key: "a.b[2]" -> "a.b", "a.b" -> "a".
// Entries of plugins.sha256 are binary names that may hold dots themselves.
func parentKey(key string) string {
	if s := lookupPrefix(key); s != nil && s.key != key {
		return s.key
	}
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[:i]
	}
	return key
}

// isEntry reports whether k names an entry of the list or map setting key.
func isEntry(k, key string) bool {
	return len(k) > len(key) && strings.HasPrefix(k, key) && (k[len(key)] == '[' || k[len(key)] == '.')
}
