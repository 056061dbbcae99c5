package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/configs"
	"gopkg.in/yaml.v3"
)

func TestDefault(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != 1 || c.Profile != "standard" || c.Engine.LogBlowup != 1 || c.Engine.NumQueries != 203 ||
		c.Segments.SegmentCycles != 1<<20 || c.Plugins.CallTimeout != 10*time.Minute || c.Limits.MaxCycles != 1<<30 {
		t.Errorf("defaults differ from the schema in the brief: %+v", c)
	}
	for _, s := range c.Settings() {
		if s.Origin.File != configs.DefaultName || s.Origin.Line == 0 {
			t.Errorf("%s: origin %v, want a line of %s", s.Key, s.Origin, configs.DefaultName)
		}
	}
	// Default hands out copies.
	c.Plugins.Dirs = append(c.Plugins.Dirs, "/x")
	c.Plugins.SHA256["oneiros-backend-cpu"] = "00"
	d, _ := Default()
	if len(d.Plugins.Dirs) != 0 || len(d.Plugins.SHA256) != 0 {
		t.Error("changing one Default() changed the next")
	}
}

// TestDefaultFileDocumented: every setting is in the default file with a comment.
func TestDefaultFileDocumented(t *testing.T) {
	lines := strings.Split(string(configs.Default()), "\n")
	c, _ := Default()
	for _, s := range c.Settings() {
		l := lines[s.Origin.Line-1]
		if !strings.Contains(l, " # ") || len(strings.TrimSpace(l[strings.Index(l, " # ")+3:])) < 8 {
			t.Errorf("%s (line %d) has no one-line comment: %q", s.Key, s.Origin.Line, l)
		}
	}
}

// TestSchemaCoversStruct: the schema table and the Config struct name the same settings.
func TestSchemaCoversStruct(t *testing.T) {
	var keys []string
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, prefix string) {
		for f := range typ.Fields() {
			if !f.IsExported() {
				continue
			}
			key := prefix + strings.Split(f.Tag.Get("yaml"), ",")[0]
			if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Duration]() {
				walk(f.Type, key+".")
				continue
			}
			keys = append(keys, key)
		}
	}
	walk(reflect.TypeFor[Config](), "")
	if !slices.Equal(keys, Keys()) {
		t.Errorf("struct fields %v\nschema keys   %v", keys, Keys())
	}
	c := &Config{}
	for _, s := range schema {
		if reflect.TypeOf(s.ptr(c)).Elem() != reflect.TypeOf(valueOf(s.ptr(c))) {
			t.Errorf("%s: pointer and value types differ", s.key)
		}
	}
}

func TestOverlay(t *testing.T) {
	in := "# mine\nengine:\n  num_queries: 0x40\n  grinding_bits: 2_0\nplugins:\n  dirs: [/opt/a, ./b]\n  sha256:\n    oneiros-backend-cpu: " +
		strings.Repeat("AB", 32) + "\n  call_timeout: 1h30m\nlogging:\n"
	c, err := Parse("u.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := Default()
	if got := Diff(d, c); !slices.Equal(got, []string{"engine.num_queries", "engine.grinding_bits", "plugins.dirs", "plugins.sha256", "plugins.call_timeout"}) {
		t.Errorf("changed %v", got)
	}
	if c.Engine.NumQueries != 64 || c.Engine.GrindingBits != 20 || c.Plugins.CallTimeout != 90*time.Minute {
		t.Errorf("values: %+v %+v", c.Engine, c.Plugins)
	}
	if !slices.Equal(c.Plugins.Dirs, []string{"/opt/a", "./b"}) || c.Plugins.SHA256["oneiros-backend-cpu"] != strings.Repeat("ab", 32) {
		t.Errorf("plugins: %+v", c.Plugins)
	}
	for key, want := range map[string]Origin{
		"engine.num_queries":                 {"u.yaml", 3},
		"engine.log_blowup":                  {configs.DefaultName, 8},
		"plugins.dirs[1]":                    {"u.yaml", 6},
		"plugins.sha256.oneiros-backend-cpu": {"u.yaml", 8},
		"plugins.sha256.oneiros-backend-gpu": {"u.yaml", 7}, // unknown entry: its setting
	} {
		if got := c.Origin(key); got != want {
			t.Errorf("Origin(%s) = %v, want %v", key, got, want)
		}
	}
	// A second layer replaces lists whole and forgets the old entries' origins.
	if err := c.Overlay("v.yaml", []byte("plugins:\n  dirs: [/z]\n")); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Plugins.Dirs, []string{"/z"}) || c.Origin("plugins.dirs[1]") != (Origin{"v.yaml", 2}) {
		t.Errorf("dirs %v, origin of [1] %v", c.Plugins.Dirs, c.Origin("plugins.dirs[1]"))
	}
	// A failed overlay leaves c as it was.
	before := c.Clone()
	if err := c.Overlay("w.yaml", []byte("engine:\n  log_blowup: 2\n  hash: sha3\n")); err == nil {
		t.Fatal("bad overlay accepted")
	}
	if !reflect.DeepEqual(c, before) {
		t.Error("failed overlay changed the config")
	}
}

func TestAliases(t *testing.T) {
	c, err := Parse("a.yaml", []byte("engine:\n  log_blowup: &two 2\n  fri_log_arity: *two\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Engine.FRILogArity != 2 {
		t.Errorf("fri_log_arity = %d, want 2 through the alias", c.Engine.FRILogArity)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "oneiros.yaml")
	if err := os.WriteFile(path, []byte("version: 1\nprofile: continuations\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil || c.Profile != "continuations" || c.Origin("profile") != (Origin{path, 2}) {
		t.Fatalf("Load: %v, %+v", err, c)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	big := filepath.Join(dir, "big.yaml")
	os.WriteFile(big, bytes.Repeat([]byte("# padding\n"), MaxFileBytes/10+1), 0o600)
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("big file: %v", err)
	}
}

func TestSet(t *testing.T) {
	c, _ := Default()
	if err := c.Set("--log-level", "logging.level", "debug"); err != nil {
		t.Fatal(err)
	}
	if c.Logging.Level != "debug" || c.Origin("logging.level") != (Origin{File: "--log-level"}) {
		t.Errorf("level %q from %v", c.Logging.Level, c.Origin("logging.level"))
	}
	if err := c.Set("--set", "plugins.dirs", "[/a, /b]"); err != nil || !slices.Equal(c.Plugins.Dirs, []string{"/a", "/b"}) {
		t.Errorf("dirs: %v %v", err, c.Plugins.Dirs)
	}
	if c.Engine.ZK {
		t.Error("engine.zk is on by default")
	}
	zk := slices.IndexFunc(c.Settings(), func(s Setting) bool { return s.Key == "engine.zk" })
	if err := c.Set("--set", "engine.zk", "true"); err != nil || !c.Engine.ZK || zk < 0 || c.Settings()[zk].Value != "true" {
		t.Errorf("zk: %v %v %v", err, c.Engine.ZK, c.Settings()[zk])
	}
	for _, tt := range []struct{ key, value, want string }{
		{"logging.level", "verbose", `--x: logging.level: unknown value "verbose" (allowed: trace, debug, info, warn, error)`},
		{"logging.level", "", "--x: logging.level: missing value (want one of trace, debug, info, warn, error)"},
		{"engine.log_blowup", "9", "--x: engine.log_blowup: 9 is out of range (allowed 1..4)"},
		{"engine.num_querys", "9", "--x: engine.num_querys: unknown setting (did you mean engine.num_queries?)"},
		{"backend.device", "cuda", "--x: backend.device: device cuda needs backend.kind cuda or auto (backend.kind is cpu, set at --k)"},
	} {
		d, _ := Default()
		d.Set("--k", "backend.kind", "cpu")
		before := d.Clone()
		err := d.Set("--x", tt.key, tt.value)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Set(%s, %q):\n got %v\nwant %s", tt.key, tt.value, err, tt.want)
		}
		if !reflect.DeepEqual(d, before) {
			t.Errorf("failed Set(%s) changed the config", tt.key)
		}
	}
}

func TestPreset(t *testing.T) {
	edit := func(c *Config) {
		c.Segments.SegmentCycles = 1 << 21
		c.Engine.NumQueries = 50
	}
	c, err := Parse("u.yaml", []byte("engine:\n  num_queries: 120\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Preset("profile p", edit); err != nil {
		t.Fatal(err)
	}
	if c.Segments.SegmentCycles != 1<<21 || c.Origin("segments.segment_cycles") != (Origin{File: "profile p"}) {
		t.Errorf("preset not applied: %d from %v", c.Segments.SegmentCycles, c.Origin("segments.segment_cycles"))
	}
	if c.Engine.NumQueries != 120 {
		t.Errorf("preset overrode the user's num_queries: %d", c.Engine.NumQueries)
	}
	// A Config without origins (decoded from JSON) takes the preset.
	var j Config
	d, _ := Default()
	out, _ := json.Marshal(d)
	json.Unmarshal(out, &j)
	if err := j.Preset("profile p", edit); err != nil || j.Segments.SegmentCycles != 1<<21 || j.Engine.NumQueries != 50 {
		t.Errorf("preset on a config without origins: %v %+v", err, j)
	}
	bad := func(c *Config) { c.Engine.LogBlowup = 9 }
	if err := c.Preset("profile bad", bad); err == nil || err.Error() != "profile bad: engine.log_blowup: 9 is out of range (allowed 1..4)" {
		t.Errorf("bad preset: %v", err)
	}
}

func TestValidateHandBuilt(t *testing.T) {
	c := &Config{}
	err := c.Validate()
	var l ErrorList
	if !errors.As(err, &l) || len(l) < 10 {
		t.Fatalf("zero config: %v", err)
	}
	if l[0].Error() != "version: unsupported config version 0 (this build reads version 1)" {
		t.Errorf("first problem: %v", l[0])
	}
	d, _ := Default()
	d.Plugins.SHA256 = map[string]string{"oneiros-frontend-evm": strings.Repeat("F", 64), "oneiros-x": "1"}
	if err := d.Validate(); err == nil || err.Error() != `oneiros.default.yaml:28: plugins.sha256.oneiros-x: "oneiros-x" is not a plugin binary name (want oneiros-frontend-NAME or oneiros-backend-NAME)` {
		t.Errorf("pins: %v", err)
	}
}

func TestYAMLRoundTrip(t *testing.T) {
	c, err := Parse("u.yaml", []byte("plugins:\n  dirs: [a]\n  sha256: {oneiros-backend-cuda: "+strings.Repeat("0", 64)+"}\n  call_timeout: 90s\n"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("out.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if d := Diff(c, back); len(d) > 0 {
		t.Errorf("round trip changed %v", d)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	c, _ := Default()
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"call_timeout":"10m0s"`)) {
		t.Errorf("durations should be text: %s", out)
	}
	var back Config
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Validate(); err != nil {
		t.Fatal(err)
	}
	if d := Diff(c, &back); len(d) > 0 {
		t.Errorf("round trip changed %v", d)
	}
}

func TestErrorfWraps(t *testing.T) {
	c, _ := Parse("u.yaml", []byte("version: 1\nprofile: fast\n"))
	sentinel := errors.New("no such profile")
	e := c.Errorf("profile", "%w", sentinel)
	if e.Error() != "u.yaml:2: profile: no such profile" || !errors.Is(e, sentinel) {
		t.Errorf("got %q", e)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(configs.Default())
	f.Add([]byte("engine:\n  num_queris: 1\n"))
	f.Add([]byte("plugins:\n  dirs: [a, *x]\n  sha256: {a: b}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("version: 1\n---\n"))
	f.Add([]byte("segments: {segment_cycles: 0x400}\nengine: {<<: {log_blowup: 2}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.yaml", data)
		if err != nil {
			if c != nil {
				t.Fatal("config and error both returned")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not a *config.Error", err, err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted what Validate refuses: %v", err)
		}
	})
}
