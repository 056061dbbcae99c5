package translate

// The initial image: descriptors, tables, globals and data segments placed before the
// program runs, and the linear memories' regions.

import (
	"sort"

	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// flushDescs writes the descriptors of the referenced functions.
func (s *Store) flushDescs() {
	for _, f := range s.described {
		s.b.LabelWord(f.Desc, f.Label)
		s.setWord(f.Desc+4, f.TypeID)
	}
}

// segments places data and element segments: in the image when they go to a memory or
// table the instance owns and fit its initial size, else in the data area for the
// entry code or memory.init / table.init to copy.
func (s *Store) segments(inst *Instance) {
	m := inst.Module
	inst.staticData = make([]bool, len(m.Datas))
	inst.staticElem = make([]bool, len(m.Elems))
	// Own memory and table statics are only safe when the whole instantiation cannot
	// fail before them: every active segment in bounds and no link check.
	allStatic := len(inst.linkChecks) == 0
	for _, d := range m.Datas {
		if d.Mode != module.Active {
			continue
		}
		mem := inst.Mems[d.Memory]
		off := s.constValue(inst, d.Offset)
		if d.Memory < m.NumImportedMemories || uint64(uint32(off))+uint64(len(d.Bytes)) > uint64(mem.Min)*PageSize {
			allStatic = false
		}
	}
	for _, e := range m.Elems {
		if e.Mode != module.Active {
			continue
		}
		t := inst.Tables[e.Table]
		off := s.constValue(inst, e.Offset)
		if e.Table < m.NumImportedTables || uint64(uint32(off))+uint64(len(e.Init)) > uint64(t.Min) {
			allStatic = false
		}
	}
	for i, d := range m.Datas {
		seg := segment{len: uint32(len(d.Bytes))}
		if d.Mode == module.Active && allStatic {
			inst.staticData[i] = true
			if len(d.Bytes) > 0 {
				off := uint32(s.constValue(inst, d.Offset))
				s.memData = append(s.memData, memData{mem: inst.Mems[d.Memory], off: off, bytes: d.Bytes})
			}
		} else {
			seg.cell = s.data.alloc(4)
			if len(d.Bytes) > 0 {
				seg.addr = s.data.alloc(uint32(len(d.Bytes)))
				s.b.Data(seg.addr, d.Bytes)
			}
			if d.Mode == module.Passive {
				s.setWord(seg.cell, seg.len)
			}
		}
		inst.datas = append(inst.datas, seg)
	}
	for i, e := range m.Elems {
		seg := segment{len: uint32(len(e.Init))}
		words := make([]uint32, len(e.Init))
		for k, c := range e.Init {
			words[k] = uint32(s.constValue(inst, c))
		}
		if e.Mode == module.Active && allStatic {
			inst.staticElem[i] = true
			t := inst.Tables[e.Table]
			off := uint32(s.constValue(inst, e.Offset))
			for k, w := range words {
				s.setWord(t.Addr+4+4*(off+uint32(k)), w)
			}
		} else {
			seg.cell = s.data.alloc(4)
			if len(words) > 0 {
				seg.addr = s.data.alloc(4 * uint32(len(words)))
				s.b.Words(seg.addr, words...)
			}
			if e.Mode == module.Passive {
				s.setWord(seg.cell, seg.len)
			}
		}
		inst.elems = append(inst.elems, seg)
	}
}

// placeMemories gives each memory its region of the address space and writes the
// descriptors' initial words. Memories with a declared maximum get what they may
// grow to when everything fits; the rest share what is left equally.
func (s *Store) placeMemories() error {
	total := uint64(1<<32-MemoryRegion) / PageSize // pages available
	var want uint64
	unbounded := 0
	for _, m := range s.memories {
		if m.declaredMax {
			want += uint64(m.Max)
		} else {
			want += uint64(m.Min)
			unbounded++
		}
	}
	if want > total {
		// Not everything fits: give each memory its initial size, and share the rest.
		var mins uint64
		for _, m := range s.memories {
			mins += uint64(m.Min)
		}
		if mins > total {
			return errorf("the memories' initial sizes (%d pages) exceed the %d pages of the address space", mins, total)
		}
		share := (total - mins) / uint64(len(s.memories))
		for _, m := range s.memories {
			m.Cap = uint32(min(uint64(m.Max), uint64(m.Min)+share))
		}
	} else {
		var share uint64
		if unbounded > 0 {
			share = (total - want) / uint64(unbounded)
		}
		for _, m := range s.memories {
			if m.declaredMax {
				m.Cap = m.Max
			} else {
				m.Cap = uint32(min(uint64(m.Max), uint64(m.Min)+share))
			}
		}
	}
	base := uint64(MemoryRegion)
	for _, m := range s.memories {
		m.Base = uint32(base)
		base += uint64(m.Cap) * PageSize
		size := uint64(m.Min) * PageSize
		s.setWord(m.Desc+memBytes, uint32(size))
		s.setWord(m.Desc+memPages, m.Min)
		s.setWord(m.Desc+memFast, fastLimit(size))
	}
	s.flushMemData()
	return nil
}

type memData struct {
	mem   *Memory
	off   uint32
	bytes []byte
}

// flushMemData writes the static data segments into the image. Segments may overlap
// (a later one wins); overlapping ones are merged into one buffer per cluster, whose
// size is at most the sum of the members' sizes.
func (s *Store) flushMemData() {
	type iv struct {
		start, end uint64
		idx        int
	}
	ivs := make([]iv, len(s.memData))
	for i, d := range s.memData {
		st := uint64(d.mem.Base) + uint64(d.off)
		ivs[i] = iv{st, st + uint64(len(d.bytes)), i}
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].start < ivs[j].start })
	for i := 0; i < len(ivs); {
		j, end := i+1, ivs[i].end
		for j < len(ivs) && ivs[j].start < end {
			end = max(end, ivs[j].end)
			j++
		}
		cl := append([]iv(nil), ivs[i:j]...)
		sort.Slice(cl, func(a, b int) bool { return cl[a].idx < cl[b].idx })
		buf := make([]byte, end-ivs[i].start)
		for _, c := range cl {
			copy(buf[c.start-ivs[i].start:], s.memData[c.idx].bytes)
		}
		s.b.Data(uint32(ivs[i].start), buf)
		i = j
	}
}

// setWord sets a word of the initial image in the data area (later writes win).
func (s *Store) setWord(addr, v uint32) { s.words[addr] = v }

// flushWords writes the words set with setWord into the builder, in runs.
func (s *Store) flushWords() {
	addrs := make([]uint32, 0, len(s.words))
	for a, v := range s.words {
		if v != 0 { // memory is zero where the image says nothing
			addrs = append(addrs, a)
		}
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i] < addrs[j] })
	for i := 0; i < len(addrs); {
		j := i + 1
		for j < len(addrs) && addrs[j] == addrs[j-1]+4 {
			j++
		}
		ws := make([]uint32, j-i)
		for k := range ws {
			ws[k] = s.words[addrs[i+k]]
		}
		s.b.Words(addrs[i], ws...)
		i = j
	}
}

func fastLimit(size uint64) uint32 {
	if size < FastWindow {
		return 0
	}
	return uint32(size - FastWindow)
}
