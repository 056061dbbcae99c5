#!/usr/bin/env bash
# The set-up scripts on a machine that lacks their tools: scripts/build-icicle.sh, run with
# a PATH that has no cmake, no C++ compiler, no make and no apt-get (as on a fresh machine
# where nothing can be installed), must say what is missing and exit 3 — the status that
# make test-cuda reports as a loud skip — and never exit silently; so must scripts/solc.sh
# without node, npm and apt-get.
set -euo pipefail
trap 'echo "check-scripts: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
# Only what the script needs before it looks for the build tools.
for t in bash env awk sed head sha256sum cut find sort xargs cat id flock mkdir nproc date dirname printf rm tr basename ls grep go; do
	p=$(command -v "$t") || { echo "check-scripts: $t not found" >&2; exit 1; }
	ln -s "$p" "$work/bin/$t"
done
rc=0
out=$(env -i HOME="$work" PATH="$work/bin" ONEIROS_ICICLE_CACHE="$work/cache" bash "$top/scripts/build-icicle.sh" 2>&1) || rc=$?
if [[ $rc -ne 3 ]] || ! grep -q "missing: cmake" <<<"$out"; then
	echo "check-scripts: build-icicle.sh without cmake, a compiler, make or apt-get: exit $rc (want 3) and a message naming cmake; it printed:" >&2
	echo "$out" >&2
	exit 1
fi
echo "check-scripts: build-icicle.sh without its tools exits 3 and names them"
rc=0
out=$(env -i HOME="$work" PATH="$work/bin" ONEIROS_SOLC_CACHE="$work/solc" bash "$top/scripts/solc.sh" 2>&1) || rc=$?
if [[ $rc -ne 3 ]] || ! grep -q "missing: node npm" <<<"$out"; then
	echo "check-scripts: solc.sh without node, npm or apt-get: exit $rc (want 3) and a message naming node and npm; it printed:" >&2
	echo "$out" >&2
	exit 1
fi
echo "check-scripts: solc.sh without its tools exits 3 and names them"
# test-failures.sh names the test a timed-out test binary was running, and says so when
# a log holds no failed test at all.
printf 'ok  \tx\t1s\npanic: test timed out after 20m0s\nrunning tests:\n\tTestHangs (19m58s)\n\ngoroutine 1 [running]:\nFAIL\tgithub.com/x/y\t1200.0s\n' >"$work/hang.log"
out=$(bash "$top/scripts/test-failures.sh" "$work/hang.log" 2>&1) || { echo "check-scripts: test-failures.sh failed on a timed-out log: $out" >&2; exit 1; }
if ! grep -q "TestHangs" <<<"$out" || ! grep -q "^FAIL" <<<"$out"; then
	echo "check-scripts: test-failures.sh does not name the test still running at a timeout; it printed:" >&2
	echo "$out" >&2
	exit 1
fi
printf 'ok  \tx\t1s\n' >"$work/ok.log"
if ! bash "$top/scripts/test-failures.sh" "$work/ok.log" | grep -q "no failed test"; then
	echo "check-scripts: test-failures.sh says nothing of a log without a failed test" >&2
	exit 1
fi
echo "check-scripts: test-failures.sh names a timed-out test and says when none failed"
