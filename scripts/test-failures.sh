#!/usr/bin/env bash
# test-failures.sh LOG: the lines of a `go test` log that say what failed, for the end of
# `make test`'s output (a CI page often shows only the tail): failed tests and packages,
# panics, and for a test binary that timed out the tests it was still running.
set -euo pipefail
trap 'echo "test-failures: failed at line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
log=${1:?usage: test-failures.sh LOG}
if [[ ! -r $log ]]; then
	echo "test-failures: cannot read the test log $log" >&2
	exit 1
fi
out=$(awk '
	/^panic: test timed out/ { print; timedout = 1; next }
	timedout && /^running tests:/ { print; running = 1; next }
	running && /^\t/ { print; next }
	running { running = 0; timedout = 0 }
	/^[[:space:]]*--- FAIL:/ { print; next }
	/^FAIL[[:space:]]/ { print; next }
	/^panic: / { print; next }
	/[a-z_]+_test\.go:[0-9]+:/ && n < 40 { print; n++ }
' "$log")
if [[ -z $out ]]; then
	echo "test-failures: no failed test, failed package or panic in $log: the failure is elsewhere in the log above (a build error, a vet or tool step)"
else
	printf '%s\n' "$out"
fi
