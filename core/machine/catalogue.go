package machine

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// A catalogue is a fixed, finite list of segment proof shapes (docs/leaf-shapes.md): a
// run whose segments are each cut and padded to one of them (SegmentRun.MinLogN) is
// aggregated by a tree whose allowlist holds the leaf programs of every shape of the
// catalogue — the same allowlist, so the same vk_root, for every such run of the
// machine under the same parameters (CatalogueRoot). A contract can then pin that root.
//
// A shape is made of
//
//   - a class k: the CPU table's height 2^k (a segment of at most 2^k − 1 cycles);
//   - a profile: a log-height offset per table from k (its budget 2^(k+offset), never
//     below the table's floor), with the precompile tables (keccak, sha256, u256) left
//     out or present;
//   - a ROM class: the program's ROM padded to 2^r rows (SetupROM; its padding rows have
//     kind 0, which no CPU row can fetch, so the key still fixes the program);
//   - whether the segment is the run's last (its leaf derives the exit and absorbs the
//     unread input).
//
// Every other table is present in every shape: the ALU and memory tables at their
// budgets, the byte tables and the range table at their fixed 2^16. The hook table is
// absent from every shape: a run with hook calls has no catalogue shape (no in-tree
// frontend makes hook calls; the hook table's rule "present exactly when the segment
// makes hook calls" would double the catalogue).
//
// # Security
//
// A catalogue is a list the verifier holds, not something it reads from a proof: the
// aggregated proof of a catalogue run names the catalogue by its ID, the verifier
// rebuilds the allowlist from its own copy, and a proof whose leaves are not the
// catalogue's shapes does not verify under its root (the leaf key it would need is not
// in the allowlist). Each shape's leaf is a verifier of the machine's segment proofs of
// those heights, so a shape is only ever a cost, never a weakness; the list only has to
// be the same on both sides, which ID (a digest of every shape) checks.

// ShapeProfile is a catalogue profile: per table (by name) its log-height offset from the
// class; a table it does not name is at the class − 8 (the floor budget).
type ShapeProfile struct {
	Name        string
	Offset      map[string]int
	Precompiles bool // the precompile tables present (else left out)
}

// Family is a set of shapes of one ROM class: every class × every profile, final or not.
type Family struct {
	ROMLogN  int
	Classes  []int
	Profiles []string
}

// CatalogueShape is one shape of a catalogue.
type CatalogueShape struct {
	Index   int // its place in the catalogue: its leaf's index in the allowlist
	Class   int // the CPU table's log height
	ROMLogN int
	Profile string
	Final   bool
	LogN    []int // every table's log height (stark.Absent: left out), Machine.Tables' order
	cells   int64 // main cells (what Fit minimises)
}

// Leaf is the shape as a leaf shape.
func (s *CatalogueShape) Leaf() LeafShape {
	return LeafShape{LogN: slices.Clone(s.LogN), Final: s.Final}
}

// MinLogN is the shape as SegmentRun.MinLogN asks it: every present table at its
// height, an absent one not asked (0).
func (s *CatalogueShape) MinLogN() []int {
	out := make([]int, len(s.LogN))
	for t, l := range s.LogN {
		if l != stark.Absent {
			out[t] = l
		}
	}
	return out
}

// String names the shape (class, ROM class, profile, final).
func (s *CatalogueShape) String() string {
	f := ""
	if s.Final {
		f = ", final"
	}
	return fmt.Sprintf("shape %d (class 2^%d, ROM 2^%d, profile %s%s)", s.Index, s.Class, s.ROMLogN, s.Profile, f)
}

// Catalogue is a fixed list of segment shapes (see above).
type Catalogue struct {
	name     string
	tables   []string
	optional []bool
	profiles []ShapeProfile
	families []Family
	shapes   []CatalogueShape
	id       hash.Digest
}

// Catalogue limits: classes between 2^MinClass and 2^MaxClass (a segment holds at
// most MaxCycles cycles: 2^21 rows), ROM classes up to 2^MaxROMLogN (SetupROM's bound).
const (
	MinClass    = 4
	MaxClass    = 21
	MaxROMLogN  = 20
	floorOffset = -8
)

// precompileTables are left out of a profile without Precompiles.
var precompileTables = []string{"keccak_memory", "keccak", "sha256_memory", "sha256", "u256_memory", "u256_arith", "u256_bits", "u256_muldiv", "u256_shift"}

// tableFloor is the least log height of a present table in a shape (the round tables'
// least trace: 2^5 rows for keccak, 2^6 for sha256; the memory tree's tables hold a few
// touched blocks' ancestors, up to 27 each, at the smallest classes).
var tableFloor = map[string]int{"keccak": 5, "sha256": 6, "memtree_node": 8, "memtree_leaf": 5, "poseidon2": 10, "memory": 6}

const defaultFloor = 4

// NewCatalogue builds a catalogue of the machine's tables: its shapes are every family's
// classes × profiles × {not final, final}, in that order. It refuses profiles naming
// tables the machine lacks, classes or ROM classes out of range, more shapes than an
// aggregated proof's allowlist holds (MaxLeafShapes), and two families of one ROM class.
func (m *Machine) NewCatalogue(name string, profiles []ShapeProfile, families []Family) (*Catalogue, error) {
	c := &Catalogue{name: name, tables: m.Tables(), profiles: profiles, families: families}
	for _, ch := range m.chips {
		c.optional = append(c.optional, ch.optional)
	}
	index := map[string]int{}
	for i, n := range c.tables {
		index[n] = i
	}
	for _, n := range append([]string{"cpu", "rom", "hook", "range"}, precompileTables...) {
		if _, ok := index[n]; !ok {
			return nil, fmt.Errorf("machine: catalogue %s: the machine has no table %s", name, n)
		}
	}
	byName := map[string]*ShapeProfile{}
	for i := range profiles {
		p := &profiles[i]
		if p.Name == "" || byName[p.Name] != nil {
			return nil, fmt.Errorf("machine: catalogue %s: profile %d has no name or another's (%q)", name, i, p.Name)
		}
		byName[p.Name] = p
		for t, o := range p.Offset {
			if _, ok := index[t]; !ok {
				return nil, fmt.Errorf("machine: catalogue %s: profile %s names table %s, which the machine lacks", name, p.Name, t)
			}
			if o < -MaxClass || o > 2 {
				return nil, fmt.Errorf("machine: catalogue %s: profile %s: table %s at offset %d (−%d … 2)", name, p.Name, t, o, MaxClass)
			}
		}
	}
	roms := map[int]bool{}
	for _, f := range families {
		if f.ROMLogN < 0 || f.ROMLogN > MaxROMLogN || roms[f.ROMLogN] {
			return nil, fmt.Errorf("machine: catalogue %s: a family of ROM class 2^%d (0 … 2^%d, one family each)", name, f.ROMLogN, MaxROMLogN)
		}
		roms[f.ROMLogN] = true
		for _, k := range f.Classes {
			if k < MinClass || k > MaxClass {
				return nil, fmt.Errorf("machine: catalogue %s: class 2^%d (2^%d … 2^%d)", name, k, MinClass, MaxClass)
			}
		}
		for _, pn := range f.Profiles {
			p := byName[pn]
			if p == nil {
				return nil, fmt.Errorf("machine: catalogue %s: family of ROM class 2^%d names profile %q, which it lacks", name, f.ROMLogN, pn)
			}
			for _, k := range f.Classes {
				for _, final := range []bool{false, true} {
					s := CatalogueShape{Index: len(c.shapes), Class: k, ROMLogN: f.ROMLogN, Profile: pn, Final: final}
					s.LogN = c.heights(m, p, k, f.ROMLogN)
					for t, l := range s.LogN {
						if l != stark.Absent {
							s.cells += int64(len(m.chips[t].air.Main)) << l
						}
					}
					c.shapes = append(c.shapes, s)
				}
			}
		}
	}
	if len(c.shapes) == 0 || len(c.shapes) > MaxLeafShapes {
		return nil, fmt.Errorf("machine: catalogue %s has %d shapes (1 … %d: an allowlist of depth %d holds them, a lift and the join)", name, len(c.shapes), MaxLeafShapes, aggregateDepth)
	}
	for i := range c.shapes {
		for j := range i {
			if c.shapes[j].Leaf().equal(c.shapes[i].Leaf()) {
				return nil, fmt.Errorf("machine: catalogue %s: %s and %s are the same heights", name, c.shapes[j].String(), c.shapes[i].String())
			}
		}
	}
	c.id = c.digest()
	return c, nil
}

// heights are a shape's log heights per table.
func (c *Catalogue) heights(m *Machine, p *ShapeProfile, k, romLog int) []int {
	out := make([]int, len(c.tables))
	fixed := bits.Len(uint(bytetable.Height)) - 1
	for t, n := range c.tables {
		switch {
		case n == "cpu":
			out[t] = k
		case n == "rom":
			out[t] = romLog
		case n == "range":
			out[t] = bits.Len(uint(rangetable.Height)) - 1
		case strings.HasPrefix(n, "bytes_"):
			out[t] = fixed
		case n == "hook":
			out[t] = stark.Absent
		case slices.Contains(precompileTables, n) && !p.Precompiles:
			out[t] = stark.Absent
		default:
			o, ok := p.Offset[n]
			if !ok {
				o = floorOffset
			}
			out[t] = max(k+o, cmpOr(tableFloor[n], defaultFloor))
		}
	}
	return out
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// digest binds the catalogue's name, the machine's table names and every shape.
func (c *Catalogue) digest() hash.Digest {
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, uint32(len(c.name)))
	b = append(b, c.name...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(c.tables)))
	for _, n := range c.tables {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(n)))
		b = append(b, n...)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(c.shapes)))
	for _, s := range c.shapes {
		var f byte
		if s.Final {
			f = 1
		}
		b = append(b, f, byte(s.Class), byte(s.ROMLogN))
		for _, l := range s.LogN {
			b = append(b, byte(l)) // stark.Absent is −1: 0xff
		}
	}
	return hash.Tagged("oneiros/catalogue/v1", b)
}

// Name is the catalogue's name ("v1" for the machine's).
func (c *Catalogue) Name() string { return c.name }

// ID is a digest of the catalogue: its name, the machine's tables and every shape's
// heights. It changes whenever a profile, class or family does.
func (c *Catalogue) ID() hash.Digest { return c.id }

// Shapes are the catalogue's shapes, in allowlist order (read-only).
func (c *Catalogue) Shapes() []CatalogueShape { return c.shapes }

// Profiles are the catalogue's profiles (read-only).
func (c *Catalogue) Profiles() []ShapeProfile { return c.profiles }

// Families are the catalogue's families (read-only).
func (c *Catalogue) Families() []Family { return c.families }

// Index is the catalogue index of leaf shape s, or −1 when s is none of its shapes.
func (c *Catalogue) Index(s LeafShape) int {
	for i := range c.shapes {
		if c.shapes[i].Final == s.Final && slices.Equal(c.shapes[i].LogN, s.LogN) {
			return i
		}
	}
	return -1
}

// ROMLogN is the ROM class of a program of code instructions: the least family ROM
// class holding it, or an error naming the largest.
func (c *Catalogue) ROMLogN(code int) (int, error) {
	nat := bits.Len(uint(air.Height(code))) - 1
	best := -1
	for _, f := range c.families {
		if f.ROMLogN >= nat && (best < 0 || f.ROMLogN < best) {
			best = f.ROMLogN
		}
	}
	if best < 0 {
		return 0, fmt.Errorf("machine: catalogue %s: a program of %d instructions (a ROM of 2^%d rows) fits no ROM class of the catalogue", c.name, code, nat)
	}
	return best, nil
}

// Classes are the classes of the family of ROM class romLog (nil: none).
func (c *Catalogue) Classes(romLog int) []int {
	for _, f := range c.families {
		if f.ROMLogN == romLog {
			return f.Classes
		}
	}
	return nil
}

// holds reports whether shape s holds a segment with these rows (SegmentRows.Rows).
func (c *Catalogue) holds(s *CatalogueShape, rows []int) bool {
	for t, r := range rows {
		l := s.LogN[t]
		if l == stark.Absent {
			if r > 0 || !c.optional[t] {
				return false
			}
			continue
		}
		if r > 1<<l {
			return false
		}
	}
	return true
}

// Fits reports whether some shape of class k and ROM class romLog holds the rows;
// final: the segment ends the run.
func (c *Catalogue) Fits(rows []int, final bool, k, romLog int) bool {
	for i := range c.shapes {
		s := &c.shapes[i]
		if s.Final == final && s.Class == k && s.ROMLogN == romLog && c.holds(s, rows) {
			return true
		}
	}
	return false
}

// Fit is the cheapest shape (fewest main cells; the first of equals) holding a segment
// with these rows (SegmentRows.Rows; a count per table, Machine.Tables' order): of
// class k, or of any class when k is 0 (a final segment takes the cheapest class that
// holds it), of the ROM class of a program of rows[rom] instructions. It says why no
// shape fits: the table that overflows the largest shape of the class.
func (c *Catalogue) Fit(rows []int, final bool, k int) (*CatalogueShape, error) {
	if len(rows) != len(c.tables) {
		return nil, fmt.Errorf("machine: catalogue %s: %d row counts for %d tables", c.name, len(rows), len(c.tables))
	}
	rom := slices.Index(c.tables, "rom")
	romLog, err := c.ROMLogN(rows[rom])
	if err != nil {
		return nil, err
	}
	var best *CatalogueShape
	for i := range c.shapes {
		s := &c.shapes[i]
		if s.Final != final || s.ROMLogN != romLog || (k != 0 && s.Class != k) || !c.holds(s, rows) {
			continue
		}
		if best == nil || s.cells < best.cells {
			best = s
		}
	}
	if best != nil {
		return best, nil
	}
	return nil, c.misfit(rows, final, k, romLog)
}

// misfit says why no shape holds the rows.
func (c *Catalogue) misfit(rows []int, final bool, k, romLog int) error {
	what := fmt.Sprintf("class 2^%d", k)
	if k == 0 {
		what = "any class"
	}
	if !slices.Contains(c.Classes(romLog), k) && k != 0 {
		return fmt.Errorf("machine: catalogue %s has no class 2^%d for a ROM of 2^%d rows (its classes: %v)", c.name, k, romLog, c.Classes(romLog))
	}
	var over []string
	for t, r := range rows {
		fits := false
		for i := range c.shapes {
			s := &c.shapes[i]
			if s.Final != final || s.ROMLogN != romLog || (k != 0 && s.Class != k) {
				continue
			}
			if l := s.LogN[t]; (l == stark.Absent && r == 0 && c.optional[t]) || (l != stark.Absent && r <= 1<<l) {
				fits = true
				break
			}
		}
		if !fits {
			over = append(over, fmt.Sprintf("%s (%d rows)", c.tables[t], r))
		}
	}
	if len(over) == 0 {
		over = []string{"no single profile holds every table"}
	}
	return fmt.Errorf("machine: catalogue %s: a segment fits no shape of %s (ROM 2^%d, final %v): %s", c.name, what, romLog, final, strings.Join(over, ", "))
}

// Check refuses a segment proof whose shape is not the catalogue's shape want (the
// host's check of a backend's proof of a segment it cut for that shape).
func (c *Catalogue) Check(sp *SegmentProof, want *CatalogueShape) error {
	got := ShapeOfSegment(sp)
	if got.Final != want.Final || !slices.Equal(got.LogN, want.LogN) {
		return fmt.Errorf("machine: catalogue %s: the segment proof's heights %v (final %v) are not %s's %v", c.name, got.LogN, got.Final, want.String(), want.LogN)
	}
	return nil
}

// catalogueV1 is the machine's catalogue (CatalogueV1), built once.
var catalogueV1 = sync.OnceValues(func() (*Catalogue, error) { return New(nil).NewCatalogue("v1", v1Profiles, v1Families) })

// CatalogueV1 is the machine's catalogue of segment shapes (docs/leaf-shapes.md, "What
// was built"): three profiles — alu (compute-bound code with a small working set: mix,
// sort, the compiled wasm programs), memory (call- and memory-heavy code: fib, word
// count), precompile (every precompile table present) — over the even classes 2^10 …
// 2^20 for programs of up to 2^16 instructions (their ROM padded to 2^16) and the
// classes 2^16, 2^18, 2^20 for programs of up to 2^20 instructions: 54 shapes, which
// with a lift and the join fill 56 of the allowlist's 64 keys.
func (m *Machine) CatalogueV1() (*Catalogue, error) {
	c, err := catalogueV1()
	if err != nil {
		return nil, err
	}
	if !slices.Equal(c.tables, m.Tables()) {
		return nil, fmt.Errorf("machine: catalogue v1 is made for the standard tables, not this machine's")
	}
	return c, nil
}

var v1Profiles = []ShapeProfile{
	{Name: "alu", Offset: map[string]int{
		"addsub": -1, "cmp": -1, "bitwise": -1, "mul": -3, "divrem": -8, "shift": -2, "loadstore": -1, "frame": -4,
		"io": -4, "input": -6, "output": -8, "memtree_node": -5, "memtree_leaf": -5, "poseidon2": -2, "memory": -3}},
	{Name: "memory", Offset: map[string]int{
		"addsub": 0, "cmp": -1, "bitwise": -2, "mul": -5, "divrem": -8, "shift": -3, "loadstore": -1, "frame": -1,
		"io": -2, "input": -4, "output": -6, "memtree_node": -1, "memtree_leaf": -1, "poseidon2": 1, "memory": 1}},
	{Name: "precompile", Precompiles: true, Offset: map[string]int{
		"addsub": -1, "cmp": -1, "bitwise": -1, "mul": -3, "divrem": -8, "shift": -2, "loadstore": -1, "frame": -3,
		"io": -2, "input": -4, "output": -6, "memtree_node": -5, "memtree_leaf": -5, "poseidon2": -2, "memory": -2,
		"keccak_memory": -8, "keccak": -4, "sha256_memory": -8, "sha256": -4,
		"u256_memory": -4, "u256_arith": -6, "u256_bits": -7, "u256_muldiv": -9, "u256_shift": -10}},
}

var v1Families = []Family{
	{ROMLogN: 16, Classes: []int{10, 12, 14, 16, 18, 20}, Profiles: []string{"alu", "memory", "precompile"}},
	{ROMLogN: 20, Classes: []int{16, 18, 20}, Profiles: []string{"alu", "memory", "precompile"}},
}
