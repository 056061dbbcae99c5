package config

import (
	"errors"
	"strings"
	"testing"
)

// TestParseErrors pins the text of every kind of bad input: what users read.
func TestParseErrors(t *testing.T) {
	const pin = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		name, in, want string
	}{
		{"unknown top-level key", "version: 1\nprofiles: standard\n",
			"my.yaml:2: profiles: unknown key (did you mean profile?)"},
		{"unknown top-level key, no suggestion", "zebra: 1\n",
			"my.yaml:1: zebra: unknown key (allowed here: version, profile, engine, segments, backend, plugins, limits, distributed, logging)"},
		{"unknown nested key", "engine:\n  log_blowup: 2\n  num_queris: 80\n",
			"my.yaml:3: engine.num_queris: unknown key (did you mean num_queries?)"},
		{"unknown nested key, no suggestion", "backend:\n  vendor: nvidia\n",
			"my.yaml:2: backend.vendor: unknown key (allowed in backend: kind, device)"},
		{"setting in the wrong section", "log_blowup: 2\n",
			"my.yaml:1: log_blowup: unknown key (did you mean engine.log_blowup?)"},
		{"unknown section", "engin:\n  log_blowup: 2\n",
			"my.yaml:1: engin: unknown key (did you mean engine?)"},
		{"wrong type: string for integer", "engine:\n  log_blowup: two\n",
			`my.yaml:2: engine.log_blowup: want an integer in 1..4, got string "two"`},
		{"wrong type: quoted integer", "engine:\n  num_queries: \"100\"\n",
			`my.yaml:2: engine.num_queries: want an integer in 1..400, got string "100"`},
		{"wrong type: float for integer", "engine:\n  workers: 1.5\n",
			"my.yaml:2: engine.workers: want an integer in 0..1024, got number 1.5"},
		{"wrong type: list for integer", "limits:\n  max_cycles: [1]\n",
			"my.yaml:2: limits.max_cycles: want an integer in 1..1099511627776 (2^40), got a list"},
		{"wrong type: section not a mapping", "engine: 5\n",
			"my.yaml:1: engine: want a mapping of settings (field, hash, log_blowup, num_queries, grinding_bits, fri_log_arity, log_final_poly_len, logup_grinding_bits, deep_grinding_bits, min_security_bits, min_provable_bits, workers, zk, ext_degree), got integer 5"},
		{"wrong type: string for boolean", "engine:\n  zk: yes\n",
			`my.yaml:2: engine.zk: want true or false, got string "yes"`},
		{"wrong type: boolean for enum", "logging:\n  format: true\n",
			"my.yaml:2: logging.format: want one of text, json, got boolean true"},
		{"missing value", "engine:\n  hash:\n",
			"my.yaml:2: engine.hash: missing value (want one of poseidon2, poseidon2-w24)"},
		{"out of range, above", "engine:\n  log_blowup: 7\n",
			"my.yaml:2: engine.log_blowup: 7 is out of range (allowed 1..4)"},
		{"out of range, below", "engine:\n  num_queries: 0\n",
			"my.yaml:2: engine.num_queries: 0 is out of range (allowed 1..400)"},
		{"out of range, negative unsigned", "limits:\n  max_cycles: -1\n",
			"my.yaml:2: limits.max_cycles: -1 is out of range (allowed 1..1099511627776 (2^40))"},
		{"out of range, huge", "limits:\n  max_memory_bytes: 99999999999999999999999\n",
			"my.yaml:2: limits.max_memory_bytes: 99999999999999999999999 is out of range (allowed 65536..8589934592 (2^16..2^33))"},
		{"out of range, power of two too large", "segments:\n  segment_cycles: 0x8000000\n",
			"my.yaml:2: segments.segment_cycles: 134217728 is out of range (allowed 1024..2097152 (2^10..2^21))"},
		{"bad NATS URL", "distributed:\n  nats_url: http://host:4222\n",
			`my.yaml:2: distributed.nats_url: "http://host:4222" is not a NATS URL (want nats://host:port, tls://host:port, ws:// or wss://)`},
		{"NATS URL not a string", "distributed:\n  nats_url: 4222\n",
			"my.yaml:2: distributed.nats_url: want a NATS URL such as nats://host:4222 or tls://host:4222 (empty: an embedded server), got integer 4222"},
		{"ack wait too short", "distributed:\n  ack_wait: 10ms\n",
			"my.yaml:2: distributed.ack_wait: 10ms is out of range (allowed 1s..1h0m0s)"},
		{"bad enum", "backend:\n  kind: metal\n",
			`my.yaml:2: backend.kind: unknown value "metal" (allowed: auto, cpu, cuda)`},
		{"bad enum, typo", "logging:\n  level: inf\n",
			`my.yaml:2: logging.level: unknown value "inf" (did you mean "info"? allowed: trace, debug, info, warn, error)`},
		{"bad enum, known mistake", "backend:\n  device: GPU\n",
			`my.yaml:2: backend.device: unknown value "GPU" (did you mean "cuda"? allowed: auto, cpu, cuda)`},
		{"bad enum, only value", "engine:\n  field: goldilocks\n",
			`my.yaml:2: engine.field: unknown value "goldilocks" (allowed: koalabear)`},
		{"bad duration", "plugins:\n  call_timeout: 10 minutes\n",
			`my.yaml:2: plugins.call_timeout: "10 minutes" is not a duration (want e.g. 30s, 10m, 1h30m)`},
		{"duration without unit", "plugins:\n  start_timeout: 10\n",
			"my.yaml:2: plugins.start_timeout: want a duration in 100ms..10m0s such as 30s, 10m or 1h30m, got number 10 (add a unit, e.g. 10s)"},
		{"duration out of range", "plugins:\n  start_timeout: 1h\n",
			"my.yaml:2: plugins.start_timeout: 1h0m0s is out of range (allowed 100ms..10m0s)"},
		{"not a power of two", "segments:\n  segment_cycles: 1000000\n",
			"my.yaml:2: segments.segment_cycles: 1000000 is not a power of two (nearest: 524288 or 1048576)"},
		{"bad sha256 hex", "plugins:\n  sha256:\n    oneiros-backend-cpu: abc123\n",
			`my.yaml:3: plugins.sha256.oneiros-backend-cpu: "abc123" is not a hex SHA-256 (want 64 hex digits)`},
		{"bad sha256 digit", "plugins:\n  sha256:\n    oneiros-backend-cpu: " + strings.Replace(pin, "a", "g", 1) + "\n",
			`my.yaml:3: plugins.sha256.oneiros-backend-cpu: "0123456789gbcdef0123456789abcdef0123456789abcdef0123456789abcdef" is not a hex SHA-256 (want 64 hex digits)`},
		{"bad sha256 name", "plugins:\n  sha256:\n    evm: " + pin + "\n",
			`my.yaml:3: plugins.sha256.evm: "evm" is not a plugin binary name (want oneiros-frontend-NAME or oneiros-backend-NAME)`},
		{"sha256 not a mapping", "plugins:\n  sha256: " + pin + "\n",
			"my.yaml:2: plugins.sha256: want a mapping of plugin binary names to hex SHA-256 digests, got string \"" + pin[:64] + "\""},
		{"dirs not a list", "plugins:\n  dirs: /opt/oneiros\n",
			`my.yaml:2: plugins.dirs: want a list of directories, got string "/opt/oneiros" (write [/opt/oneiros])`},
		{"empty dir", "plugins:\n  dirs:\n    - /opt\n    - \"\"\n",
			"my.yaml:4: plugins.dirs[1]: empty directory name"},
		{"bad profile name", "profile: Fast!\n",
			`my.yaml:1: profile: "Fast!" is not a profile name (want lower-case letters, digits and '-', starting with a letter)`},
		{"empty file", "",
			`my.yaml: empty file (want a mapping of settings, e.g. "version: 1")`},
		{"comments only", "# nothing yet\n\n",
			`my.yaml: empty file (want a mapping of settings, e.g. "version: 1")`},
		{"top level is a list", "- engine\n",
			`my.yaml:1: want a mapping of settings such as "version: 1", got a list`},
		{"YAML syntax error", "engine:\n  log_blowup: 1\n num_queries: 2\n",
			"my.yaml:2: YAML syntax error: did not find expected key"},
		{"YAML syntax error, tab", "engine:\n\tlog_blowup: 1\n",
			"my.yaml:2: YAML syntax error: found character that cannot start any token"},
		{"two documents", "version: 1\n---\nversion: 1\n",
			"my.yaml:2: a second YAML document; a configuration file holds one"},
		{"wrong version", "version: 2\nengine:\n  bogus: 1\n",
			"my.yaml:1: version: unsupported config version 2 (this build reads version 1)"},
		{"version as string", "version: \"1\"\n",
			`my.yaml:1: version: want an integer in 1..1, got string "1"`},
		{"duplicate key", "engine:\n  log_blowup: 1\n  log_blowup: 2\n",
			"my.yaml:3: engine.log_blowup: duplicate key (first set at line 2)"},
		{"merge key", "base: &b\n  log_blowup: 2\nengine:\n  <<: *b\n",
			"my.yaml:1: base: unknown key (allowed here: version, profile, engine, segments, backend, plugins, limits, distributed, logging)\n" +
				"my.yaml:4: engine: merge keys (<<) are not supported; write the settings out"},
		{"cross-field: device without backend", "backend:\n  kind: cpu\n  device: cuda\n",
			"my.yaml:3: backend.device: device cuda needs backend.kind cuda or auto (backend.kind is cpu, set at my.yaml:2)"},
		{"cross-field: timeouts", "plugins:\n  start_timeout: 5m\n  call_timeout: 1m\n",
			"my.yaml:2: plugins.start_timeout: 5m0s is longer than plugins.call_timeout (1m0s, set at my.yaml:3)"},
		{"several problems, in line order", "engine:\n  log_blowup: 9\nbackend:\n  kind: gpu\n",
			"my.yaml:2: engine.log_blowup: 9 is out of range (allowed 1..4)\n" +
				`my.yaml:4: backend.kind: unknown value "gpu" (did you mean "cuda"? allowed: auto, cpu, cuda)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("my.yaml", []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse accepted %q: %+v", tt.in, c)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Parse(%q):\n got %s\nwant %s", tt.in, got, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not a *config.Error", err)
			}
			if e.File != "my.yaml" {
				t.Errorf("Error.File = %q, want my.yaml", e.File)
			}
		})
	}
}

func TestErrorFields(t *testing.T) {
	_, err := Parse("my.yaml", []byte("version: 1\nengine:\n  num_queries: 80\n  num_queris: 80\n"))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a *config.Error", err)
	}
	want := Error{File: "my.yaml", Line: 4, Key: "engine.num_queris", Msg: "unknown key (did you mean num_queries?)"}
	if *e != want {
		t.Errorf("got %+v, want %+v", *e, want)
	}
}

func TestErrorListAs(t *testing.T) {
	_, err := Parse("my.yaml", []byte("engine:\n  log_blowup: 9\n  num_queries: 0\n"))
	var l ErrorList
	if !errors.As(err, &l) || len(l) != 2 {
		t.Fatalf("got %v, want an ErrorList of 2", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Key != "engine.log_blowup" {
		t.Errorf("errors.As found %+v, want the first error (engine.log_blowup)", e)
	}
}

func TestManyErrorsBounded(t *testing.T) {
	var b strings.Builder
	for i := range 100 {
		b.WriteString("k")
		b.WriteString(strings.Repeat("x", i+1))
		b.WriteString(": 1\n")
	}
	_, err := Parse("my.yaml", []byte(b.String()))
	l, ok := err.(ErrorList)
	if !ok || len(l) != maxErrors+1 || !strings.Contains(l[maxErrors].Msg, "80 more problems") {
		t.Fatalf("got %d errors (%T), want %d and a count of the rest", len(l), err, maxErrors+1)
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		word string
		want string
	}{
		{"num_queris", "num_queries"},
		{"numQueries", "num_queries"},
		{"NUM-QUERIES", "num_queries"},
		{"log_blowp", "log_blowup"},
		{"queries", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.word, children("engine")); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
