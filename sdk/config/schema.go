package config

import (
	"fmt"
	"math/bits"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// kind is the type and shape of a setting's value.
type kind int

const (
	kindInt      kind = iota // int within [min, max]
	kindUint                 // uint64 within [min, max]
	kindPow2                 // uint64 power of two within [min, max]
	kindEnum                 // string, one of oneOf
	kindName                 // string, a profile name
	kindDuration             // time.Duration within [min, max]
	kindDirs                 // []string of non-empty paths
	kindPins                 // map[string]string: plugin binary name -> hex SHA-256
	kindBool                 // bool: true or false
	kindText                 // string checked by the setting's text func ("" allowed)
)

// setting describes one leaf of the schema. The table below is the single source of the
// decoder, [Config.Validate], [Config.Set] and [Config.Settings].
type setting struct {
	key      string
	kind     kind
	min, max int64              // bounds of numbers and durations (nanoseconds)
	oneOf    []string           // allowed values of an enum
	hints    map[string]string  // likely mistakes of an enum and what they mean
	text     func(string) error // checks a kindText value
	textWant string             // what a kindText value is, for messages
	ptr      func(*Config) any
}

// engineInt is the setting of an integer engine parameter, with the range package fri
// gives it (fri.Bounds: the one place the ranges are written).
func engineInt(key string, ptr func(c *Config) any) setting {
	b := fri.BoundOf(key)
	return setting{key: "engine." + key, kind: kindInt, min: int64(b.Lo), max: int64(b.Hi), ptr: ptr}
}

var schema = []setting{
	{key: "version", kind: kindInt, min: Version, max: Version, ptr: func(c *Config) any { return &c.Version }},
	{key: "profile", kind: kindName, ptr: func(c *Config) any { return &c.Profile }},

	{key: "engine.field", kind: kindEnum, oneOf: []string{"koalabear"}, ptr: func(c *Config) any { return &c.Engine.Field }},
	{key: "engine.hash", kind: kindEnum, oneOf: []string{hash.NameNarrow, hash.NameWide}, ptr: func(c *Config) any { return &c.Engine.Hash }},
	engineInt("log_blowup", func(c *Config) any { return &c.Engine.LogBlowup }),
	engineInt("num_queries", func(c *Config) any { return &c.Engine.NumQueries }),
	engineInt("grinding_bits", func(c *Config) any { return &c.Engine.GrindingBits }),
	engineInt("fri_log_arity", func(c *Config) any { return &c.Engine.FRILogArity }),
	engineInt("log_final_poly_len", func(c *Config) any { return &c.Engine.LogFinalPolyLen }),
	engineInt("logup_grinding_bits", func(c *Config) any { return &c.Engine.LogUpGrindingBits }),
	engineInt("deep_grinding_bits", func(c *Config) any { return &c.Engine.DEEPGrindingBits }),
	{key: "engine.min_security_bits", kind: kindInt, min: 0, max: 128, ptr: func(c *Config) any { return &c.Engine.MinSecurityBits }},
	{key: "engine.min_provable_bits", kind: kindInt, min: 0, max: 128, ptr: func(c *Config) any { return &c.Engine.MinProvableBits }},
	{key: "engine.workers", kind: kindInt, min: 0, max: 1024, ptr: func(c *Config) any { return &c.Engine.Workers }},
	{key: "engine.zk", kind: kindBool, ptr: func(c *Config) any { return &c.Engine.ZK }},
	{key: "engine.ext_degree", kind: kindInt, min: 4, max: 6, ptr: func(c *Config) any { return &c.Engine.ExtDegree }},

	{key: "segments.segment_cycles", kind: kindPow2, min: 1 << 10, max: 1 << 21, ptr: func(c *Config) any { return &c.Segments.SegmentCycles }},
	{key: "segments.shapes", kind: kindEnum, oneOf: []string{"natural", "catalogue"}, hints: map[string]string{"catalog": "catalogue", "fixed": "catalogue"}, ptr: func(c *Config) any { return &c.Segments.Shapes }},

	{key: "backend.kind", kind: kindEnum, oneOf: []string{"auto", "cpu", "cuda"}, hints: gpuHints, ptr: func(c *Config) any { return &c.Backend.Kind }},
	{key: "backend.device", kind: kindEnum, oneOf: []string{"auto", "cpu", "cuda"}, hints: gpuHints, ptr: func(c *Config) any { return &c.Backend.Device }},

	{key: "plugins.dirs", kind: kindDirs, ptr: func(c *Config) any { return &c.Plugins.Dirs }},
	{key: "plugins.sha256", kind: kindPins, ptr: func(c *Config) any { return &c.Plugins.SHA256 }},
	{key: "plugins.start_timeout", kind: kindDuration, min: int64(100 * time.Millisecond), max: int64(10 * time.Minute), ptr: func(c *Config) any { return &c.Plugins.StartTimeout }},
	{key: "plugins.call_timeout", kind: kindDuration, min: int64(time.Second), max: int64(720 * time.Hour), ptr: func(c *Config) any { return &c.Plugins.CallTimeout }},

	{key: "limits.max_cycles", kind: kindUint, min: 1, max: 1 << 40, ptr: func(c *Config) any { return &c.Limits.MaxCycles }},
	{key: "limits.max_memory_bytes", kind: kindUint, min: 1 << 16, max: 1 << 33, ptr: func(c *Config) any { return &c.Limits.MaxMemoryBytes }},
	{key: "limits.max_input_bytes", kind: kindUint, min: 0, max: 1 << 32, ptr: func(c *Config) any { return &c.Limits.MaxInputBytes }},
	{key: "limits.max_output_bytes", kind: kindUint, min: 0, max: 1 << 32, ptr: func(c *Config) any { return &c.Limits.MaxOutputBytes }},

	{key: "distributed.nats_url", kind: kindText, text: checkNATSURL, textWant: "a NATS URL such as nats://host:4222 or tls://host:4222 (empty: an embedded server)", ptr: func(c *Config) any { return &c.Distributed.NATSURL }},
	{key: "distributed.creds", kind: kindText, text: checkPath, textWant: "a NATS credentials file (empty: none)", ptr: func(c *Config) any { return &c.Distributed.Creds }},
	{key: "distributed.tls_ca", kind: kindText, text: checkPath, textWant: "a PEM file of CA certificates for the NATS server (empty: the system's)", ptr: func(c *Config) any { return &c.Distributed.TLSCA }},
	{key: "distributed.tls_cert", kind: kindText, text: checkPath, textWant: "a PEM client certificate for NATS (empty: none)", ptr: func(c *Config) any { return &c.Distributed.TLSCert }},
	{key: "distributed.tls_key", kind: kindText, text: checkPath, textWant: "the PEM key of distributed.tls_cert (empty: none)", ptr: func(c *Config) any { return &c.Distributed.TLSKey }},
	{key: "distributed.local_workers", kind: kindInt, min: 0, max: 256, ptr: func(c *Config) any { return &c.Distributed.LocalWorkers }},
	{key: "distributed.ack_wait", kind: kindDuration, min: int64(time.Second), max: int64(time.Hour), ptr: func(c *Config) any { return &c.Distributed.AckWait }},

	{key: "logging.level", kind: kindEnum, oneOf: []string{"trace", "debug", "info", "warn", "error"}, hints: map[string]string{"warning": "warn", "err": "error", "information": "info"}, ptr: func(c *Config) any { return &c.Logging.Level }},
	{key: "logging.format", kind: kindEnum, oneOf: []string{"text", "json"}, ptr: func(c *Config) any { return &c.Logging.Format }},
}

var gpuHints = map[string]string{"gpu": "cuda", "nvidia": "cuda", "icicle": "cuda"}

var (
	profileName = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	pluginName  = regexp.MustCompile(`^oneiros-(frontend|backend)-[A-Za-z0-9][A-Za-z0-9._-]{0,200}$`)
)

// lookup returns the setting named key, or nil.
func lookup(key string) *setting {
	for i := range schema {
		if schema[i].key == key {
			return &schema[i]
		}
	}
	return nil
}

// lookupPrefix returns the setting that key is, or is an entry of, or nil.
func lookupPrefix(key string) *setting {
	for i := range schema {
		if s := &schema[i]; s.key == key || isEntry(key, s.key) {
			return s
		}
	}
	return nil
}

// isSection reports whether key is a section: a proper prefix of some setting.
func isSection(key string) bool {
	for i := range schema {
		if strings.HasPrefix(schema[i].key, key+".") {
			return true
		}
	}
	return false
}

// children lists the names directly under the section path ("" for the top level), in
// schema order.
func children(path string) []string {
	prefix := ""
	if path != "" {
		prefix = path + "."
	}
	var out []string
	for i := range schema {
		rest, ok := strings.CutPrefix(schema[i].key, prefix)
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, ".")
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// want describes what the setting accepts, for error messages: "an integer in 1..4".
func (s *setting) want() string {
	switch s.kind {
	case kindInt, kindUint:
		return "an integer in " + s.bounds()
	case kindPow2:
		return "a power of two in " + s.bounds()
	case kindEnum:
		return "one of " + strings.Join(s.oneOf, ", ")
	case kindName:
		return "a profile name such as standard"
	case kindDuration:
		return "a duration in " + s.bounds() + " such as 30s, 10m or 1h30m"
	case kindDirs:
		return "a list of directories"
	case kindPins:
		return "a mapping of plugin binary names to hex SHA-256 digests"
	case kindBool:
		return "true or false"
	case kindText:
		return s.textWant
	}
	panic(fmt.Sprintf("config: setting %s has unknown kind %d", s.key, s.kind))
}

// bounds writes the range of a number or duration: "1..4", "65536..8589934592 (2^16..2^33)".
func (s *setting) bounds() string {
	if s.kind == kindDuration {
		return time.Duration(s.min).String() + ".." + time.Duration(s.max).String()
	}
	out := fmt.Sprintf("%d..%d", s.min, s.max)
	if pow := power(s.max); pow != "" && s.max >= 1<<16 {
		if lo := power(s.min); lo != "" {
			pow = lo + ".." + pow
		}
		out += " (" + pow + ")"
	}
	return out
}

// power writes n as "2^k" when it is a power of two of at least 2^10, or returns "".
func power(n int64) string {
	if n >= 1<<10 && n&(n-1) == 0 {
		return fmt.Sprintf("2^%d", bits.TrailingZeros64(uint64(n)))
	}
	return ""
}

// problem is what is wrong with a setting, or with one entry of it when key is set.
type problem struct{ key, msg string }

// check returns what is wrong with the value v of setting s (nothing when it is sound).
// v has the setting's Go type. It is the range and set check shared by the decoder and
// [Config.Validate]; the decoder has already checked the YAML type.
func (s *setting) check(v any) []problem {
	one := func(msg string) []problem { return []problem{{msg: msg}} }
	var out []problem
	switch s.kind {
	case kindInt:
		n := int64(v.(int))
		if s.key == "version" && n != Version {
			return one(fmt.Sprintf("unsupported config version %d (this build reads version %d)", n, Version))
		}
		if n < s.min || n > s.max {
			return one(fmt.Sprintf("%d is out of range (allowed %s)", n, s.bounds()))
		}
	case kindUint, kindPow2:
		n := v.(uint64)
		if n < uint64(s.min) || n > uint64(s.max) {
			return one(fmt.Sprintf("%d is out of range (allowed %s)", n, s.bounds()))
		}
		if s.kind == kindPow2 && n&(n-1) != 0 {
			lo := uint64(1) << (63 - bits.LeadingZeros64(n))
			return one(fmt.Sprintf("%d is not a power of two (nearest: %d or %d)", n, lo, lo*2))
		}
	case kindEnum:
		str := v.(string)
		if !slices.Contains(s.oneOf, str) {
			m := s.hints[strings.ToLower(str)]
			if m == "" {
				m = suggest(str, s.oneOf)
			}
			if m != "" {
				return one(fmt.Sprintf("unknown value %q (did you mean %q? allowed: %s)", short(str), m, strings.Join(s.oneOf, ", ")))
			}
			return one(fmt.Sprintf("unknown value %q (allowed: %s)", short(str), strings.Join(s.oneOf, ", ")))
		}
	case kindText:
		if err := s.text(v.(string)); err != nil {
			return one(err.Error())
		}
	case kindName:
		if str := v.(string); !profileName.MatchString(str) {
			return one(fmt.Sprintf("%q is not a profile name (want lower-case letters, digits and '-', starting with a letter)", short(str)))
		}
	case kindDuration:
		d := v.(time.Duration)
		if int64(d) < s.min || int64(d) > s.max {
			return one(fmt.Sprintf("%s is out of range (allowed %s)", d, s.bounds()))
		}
	case kindDirs:
		for i, dir := range v.([]string) {
			if dir == "" {
				out = append(out, problem{fmt.Sprintf("%s[%d]", s.key, i), "empty directory name"})
			}
		}
	case kindPins:
		m := v.(map[string]string)
		names := make([]string, 0, len(m))
		for name := range m {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			if p := checkPin(s.key, name, m[name]); p != nil {
				out = append(out, *p)
			}
		}
	}
	return out
}

// checkPin checks one entry of plugins.sha256.
func checkPin(key, name, digest string) *problem {
	if !pluginName.MatchString(name) {
		return &problem{key + "." + name, fmt.Sprintf("%q is not a plugin binary name (want oneiros-frontend-NAME or oneiros-backend-NAME)", short(name))}
	}
	if !isHex256(digest) {
		return &problem{key + "." + name, fmt.Sprintf("%q is not a hex SHA-256 (want 64 hex digits)", short(digest))}
	}
	return nil
}

func isHex256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// checkNATSURL accepts "" or a nats://, tls://, ws:// or wss:// URL with a host.
func checkNATSURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || !slices.Contains([]string{"nats", "tls", "ws", "wss"}, u.Scheme) {
		return fmt.Errorf("%q is not a NATS URL (want nats://host:port, tls://host:port, ws:// or wss://)", short(s))
	}
	return nil
}

// checkPath accepts "" or a path without NUL bytes (whether the file exists is checked
// where it is used).
func checkPath(s string) error {
	if strings.ContainsRune(s, 0) {
		return fmt.Errorf("%q is not a path", short(s))
	}
	return nil
}
