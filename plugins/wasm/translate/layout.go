package translate

// The normalized address space of a translated store (docs/wasm.md, "Memory layout"):
//
//	0x0000_0000 … 0x0000_ffff   unused (never touched)
//	StackBase … +StackBytes     the call stack: the entry frame, then one frame per active call
//	… DataLimit                 the data area: globals, memory and table descriptors, tables,
//	                            function descriptors, segments, br_table jump tables
//	MemoryRegion … 2^32         the linear memories, each at a 64 KiB-aligned base
const (
	StackBase         = 0x0001_0000
	DefaultStackBytes = 8 << 20
	MinStackBytes     = 64 << 10
	MaxStackBytes     = 128 << 20
	DataLimit         = 0x1000_0000
	MemoryRegion      = 0x1000_0000
	PageSize          = 1 << 16

	// FastWindow is the largest offset+width of a load or store that takes the fast
	// bounds check: one compare of the address with the memory's fast limit
	// (size − FastWindow, or 0 when the memory is smaller).
	FastWindow = 4096

	// A memory descriptor is three words: size in bytes, size in pages, fast limit.
	memBytes = 0
	memPages = 4
	memFast  = 8

	// Tables with no declared maximum may grow by this many entries (table.grow beyond
	// returns -1); no table holds more than MaxTableEntries.
	tableGrowth     = 1024
	MaxTableEntries = 1 << 20
)

// dataArea is a bump allocator of word-aligned data.
type dataArea struct {
	next uint32
	err  error
}

func (d *dataArea) alloc(bytes uint32) uint32 {
	a := d.next
	n := uint64(a) + (uint64(bytes)+3)&^3
	if n > DataLimit {
		if d.err == nil {
			d.err = errorf("the data area is full: %d bytes more do not fit below 0x%x", bytes, DataLimit)
		}
		return a
	}
	d.next = uint32(n)
	return a
}
