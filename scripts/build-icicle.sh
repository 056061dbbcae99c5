#!/usr/bin/env bash
# Builds the ICICLE v3 libraries the CUDA backend links against (backends/cuda), from the
# C++ sources of the Go module backends/cuda/go.mod requires, with ICICLE's CPU backend built
# in: libicicle_device, libicicle_field_koalabear (NTT, vector ops), libicicle_field_bn254 and
# libicicle_curve_bn254 (MSM). It downloads nothing: Taskflow, which ICICLE's CMake would clone
# from GitHub, is answered by our own header (backends/cuda/third_party/taskflow). cmake and a
# C++ compiler come from Debian (installed here when missing).
#
# The result is cached outside the repository, keyed by the ICICLE version and a digest of
# this script, the Taskflow stand-in and the compiler, so a second run is instant:
#   ${ONEIROS_ICICLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oneiros/icicle}/<version>-<key>/
#
# Usage: scripts/build-icicle.sh            build if needed; print the library directory last
#        scripts/build-icicle.sh --libdir   print the library directory it would use, build nothing
set -euo pipefail
trap 'echo "build-icicle: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
top=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "==> icicle: $*" >&2; }

mod=github.com/ingonyama-zk/icicle/v3
version=$(awk -v m="$mod" '$1 == m { print $2 } $1 == "require" && $2 == m { print $3 }' "$top/backends/cuda/go.mod" | head -1)
[[ -n $version ]] || { echo "build-icicle: $mod not required in backends/cuda/go.mod" >&2; exit 2; }
shim=$top/backends/cuda/third_party/taskflow

need_packages() {
	command -v cmake >/dev/null && { command -v c++ >/dev/null || command -v clang++ >/dev/null; } && command -v make >/dev/null
}
compiler_id() {
	{ command -v clang++ >/dev/null && clang++ --version | head -1; command -v c++ >/dev/null && c++ --version | head -1; cmake --version | head -1; } 2>/dev/null || true
}

# (compiler_id only when the tools exist: without cmake the key is recomputed after the
# install below; a failing test here must not end the script under set -e/pipefail.)
key=$( { cat "$0"; find "$shim" -type f | LC_ALL=C sort | xargs cat; if need_packages; then compiler_id; fi; } | sha256sum | cut -c1-12)
root=${ONEIROS_ICICLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oneiros/icicle}
dir=$root/$version-$key
lib=$dir/install/lib
if [[ ${1:-} == --libdir ]]; then
	echo "$lib"
	exit 0
fi
if [[ -f $dir/complete ]]; then
	say "$version cached in $dir"
	echo "$lib"
	exit 0
fi

# Exit status 3: the build tools are missing and cannot be installed here (make
# test-cuda then says so and skips, loudly); any other failure is 1 or 2.
if ! need_packages; then
	missing=$(for t in cmake c++ make; do command -v $t >/dev/null || printf '%s ' $t; done)
	if [[ -n ${ONEIROS_ICICLE_INSTALLED:-} ]] || ! command -v apt-get >/dev/null; then
		echo "build-icicle: ICICLE needs cmake, a C++ compiler and make; missing: ${missing}and they cannot be installed here (no apt-get, or the install left them missing): install them (Debian: apt-get install cmake build-essential)" >&2
		exit 3
	fi
	say "installing cmake and build-essential (Debian; missing: ${missing% })"
	sudo=""
	[[ $(id -u) == 0 ]] || sudo=sudo
	if ! { $sudo apt-get update -qq >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake build-essential >&2; }; then
		echo "build-icicle: installing cmake and build-essential with apt-get failed (output above); missing: ${missing% }" >&2
		exit 3
	fi
	# The key includes the compiler: recompute it now that there is one.
	ONEIROS_ICICLE_INSTALLED=1 exec "$0" "$@"
fi

src=$(cd "$top/backends/cuda" && go mod download -json "$mod@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -f $src/icicle/CMakeLists.txt ]] || { echo "build-icicle: no ICICLE sources for $mod@$version (go mod download failed?)" >&2; exit 1; }

mkdir -p "$root"
exec 9>"$root/.lock"
flock 9 # one build at a time per cache
if [[ -f $dir/complete ]]; then # built while we waited
	echo "$lib"
	exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
jobs=${ICICLE_BUILD_JOBS:-$(nproc)}
start=$(date +%s)
# Only what the backend calls: KoalaBear NTT and vector ops; BN254 G1 MSM. No hashes, no
# extension field, no G2 or EC-NTT; the CPU backend is compiled in, CUDA is loaded at run
# time from ICICLE_BACKEND_INSTALL_DIR.
common=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$dir/install" -DTaskflow_DIR="$shim"
	-DFETCHCONTENT_FULLY_DISCONNECTED=ON -DBUILD_TESTS=OFF -DCPU_BACKEND=ON -DCUDA_BACKEND=OFF
	-DHASH=OFF -DPOSEIDON=OFF -DPOSEIDON2=OFF -DSUMCHECK=OFF -DFRI=OFF -DEXT_FIELD=OFF -DG2=OFF -DECNTT=OFF)
for target in FIELD=koalabear CURVE=bn254; do
	name=${target#*=}
	extra=()
	[[ $target == CURVE=* ]] && extra=(-DNTT=OFF -DMSM=ON)
	say "configure $name ($mod@$version, $src/icicle)"
	cmake -S "$src/icicle" -B "$dir/build/$name" -D"$target" "${common[@]}" "${extra[@]}" >"$dir/build-$name.log" 2>&1 ||
		{ tail -30 "$dir/build-$name.log" >&2; exit 1; }
	say "build $name with $jobs jobs (log: $dir/build-$name.log)"
	cmake --build "$dir/build/$name" -j "$jobs" >>"$dir/build-$name.log" 2>&1 || { tail -30 "$dir/build-$name.log" >&2; exit 1; }
	cmake --install "$dir/build/$name" >>"$dir/build-$name.log" 2>&1 || { tail -30 "$dir/build-$name.log" >&2; exit 1; }
done
rm -rf "$dir/build" # objects: ~100 MB, not needed once installed
echo "$version built in $(($(date +%s) - start)) s from $src/icicle" >"$dir/complete"
say "$(cat "$dir/complete")"
echo "$lib"
