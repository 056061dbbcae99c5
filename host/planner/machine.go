package planner

import (
	"bufio"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Machine is what one proving machine offers.
type Machine struct {
	Cores       int    `yaml:"cores" json:"cores"`               // cores proving may use
	MemoryBytes uint64 `yaml:"memory_bytes" json:"memory_bytes"` // memory; 0 when unknown
	Nodes       int    `yaml:"nodes" json:"nodes"`               // identical machines proving together; 0 means 1
}

// Detect describes the machine it runs on: the cores this process may use
// (runtime.NumCPU bounded by GOMAXPROCS, which follows container CPU limits) and the
// memory from /proc/meminfo, bounded by a cgroup memory limit when there is one.
// Where neither file exists the memory is 0, unknown, and plans say so.
func Detect() Machine {
	m := Machine{Cores: min(runtime.NumCPU(), runtime.GOMAXPROCS(0)), Nodes: 1}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		m.MemoryBytes = memTotal(f)
		f.Close()
	}
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if data, err := os.ReadFile(path); err == nil {
			if limit, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64); err == nil && limit > 0 &&
				(m.MemoryBytes == 0 || limit < m.MemoryBytes) {
				m.MemoryBytes = limit
			}
			break
		}
	}
	return m
}

// memTotal reads the MemTotal line of /proc/meminfo ("MemTotal:  16318480 kB"), or 0.
func memTotal(r io.Reader) uint64 {
	s := bufio.NewScanner(r)
	for s.Scan() {
		f := strings.Fields(s.Text())
		if len(f) < 2 || f[0] != "MemTotal:" {
			continue
		}
		n, err := strconv.ParseUint(f[1], 10, 64)
		if err != nil {
			return 0
		}
		if len(f) >= 3 && strings.EqualFold(f[2], "kB") {
			n *= 1024
		}
		return n
	}
	return 0
}
