package exec

// Sparse memory: 2^32 bytes in 4 KiB pages of 1024 words, found through a two-level
// directory (1024 × 1024 pages). A page appears, zeroed, the first time any access
// touches it; the limit counts pages that appeared (the image's included).
const (
	pageBits  = 12
	PageSize  = 1 << pageBits
	pageWords = PageSize / 4
)

type page struct {
	w [pageWords]uint32
	// ts[i] is the timestamp of the last access to word i, 0 if never accessed. Only
	// allocated when records are on.
	ts *[pageWords]uint64
}

type memory struct {
	dir      [1024]*[1024]*page
	pages    uint64
	maxPages uint64 // pages allowed (MaxUint64: no limit)
	track    bool   // keep access timestamps (records on)
}

// lookup returns the page holding addr, or nil if it has not appeared.
func (m *memory) lookup(addr uint32) *page {
	if d := m.dir[addr>>22]; d != nil {
		return d[(addr>>pageBits)&1023]
	}
	return nil
}

// touch returns the page holding addr, creating it if needed; nil when creating it
// would pass the page limit.
func (m *memory) touch(addr uint32) *page {
	if p := m.lookup(addr); p != nil {
		return p
	}
	if m.pages >= m.maxPages {
		return nil
	}
	d := m.dir[addr>>22]
	if d == nil {
		d = new([1024]*page)
		m.dir[addr>>22] = d
	}
	p := new(page)
	if m.track {
		p.ts = new([pageWords]uint64)
	}
	d[(addr>>pageBits)&1023] = p
	m.pages++
	return p
}
