#!/usr/bin/env bash
# Runs each fuzz target (PKG:TARGET arguments) for FUZZTIME. A failing target's output is
# printed whole with where its failing input went. Go 1.26's fuzzing coordinator can
# report a bare "context deadline exceeded" when -fuzztime runs out while a worker is
# mid-call on a loaded machine (a shutdown race fixed in Go 1.27, golang/go#75804): no
# input failed and none is written. Such a run is retried once; if it happens again the
# target is reported as NOT FAILED BUT INCONCLUSIVE, loudly, and the others go on. Any
# other failure — a failing input written, a panic, a test error — fails at once.
set -euo pipefail
trap 'echo "fuzz.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
go=${GO:-go}
fuzztime=${FUZZTIME:-30s}
inconclusive=()
for t in "$@"; do
	pkg=${t%%:*} name=${t#*:}
	echo "$go test -run '^\$' -fuzz '^$name\$' -fuzztime $fuzztime $pkg"
	for try in 1 2; do
		log=$(mktemp)
		rc=0
		"$go" test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" -fuzzminimizetime 2s "$pkg" >"$log" 2>&1 || rc=$?
		if [[ $rc -eq 0 ]]; then
			rm -f "$log"
			break
		fi
		if grep -q 'context deadline exceeded' "$log" && ! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:' "$log"; then
			if [[ $try -eq 1 ]]; then
				echo "fuzz $name: the -fuzztime shutdown race (no input failed); running it again"
				rm -f "$log"
				continue
			fi
			cat "$log"
			echo "fuzz $name: INCONCLUSIVE — the -fuzztime shutdown race twice; no failing input was found"
			inconclusive+=("$name")
			rm -f "$log"
			break
		fi
		cat "$log"
		echo "fuzz $name failed (failing input, if any, under $pkg/testdata/fuzz/$name)"
		rm -f "$log"
		exit 1
	done
done
if [[ ${#inconclusive[@]} -gt 0 ]]; then
	echo "fuzz: ${#inconclusive[@]} target(s) inconclusive (Go's shutdown race, not a finding): ${inconclusive[*]}"
fi
