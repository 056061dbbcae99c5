#!/usr/bin/env bash
# Installs npm's solcjs (the solc package: the Solidity compiler built to WebAssembly,
# run by Node.js) at the version proving/injector/solidity pins (SolcVersion), and
# prints its path last. The EVM tests of gnark's Groth16 verifier compile with it:
#   SOLCJS=$(scripts/solc.sh) go test ./tools/evmcheck/
# Node.js and npm come from Debian (installed here with apt-get when missing).
#
# The package is cached outside the repository, so a second run is instant:
#   ${ONEIROS_SOLC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oneiros}/solc-<version>/
#
# Exit status 3: Node.js or npm is missing and cannot be installed here (no apt-get, or
# the install failed); any other failure is 1. Nothing fails silently.
set -euo pipefail
trap 'echo "solc: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
top=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "==> solc: $*" >&2; }

src=$top/proving/injector/solidity/export.go
version=$(sed -n 's/^const SolcVersion = "\([0-9.]*\)"$/\1/p' "$src")
[[ -n $version ]] || { echo "solc: no SolcVersion constant in $src" >&2; exit 1; }
dir=${ONEIROS_SOLC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oneiros}/solc-$version
bin=$dir/node_modules/.bin/solcjs
if [[ -f $dir/complete && -x $bin ]]; then
	say "solcjs $version cached in $dir"
	echo "$bin"
	exit 0
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	missing=$(for t in node npm; do command -v $t >/dev/null || printf '%s ' $t; done)
	if [[ -n ${ONEIROS_SOLC_INSTALLED:-} ]] || ! command -v apt-get >/dev/null; then
		echo "solc: solcjs $version comes from npm; missing: ${missing}and they cannot be installed here (no apt-get, or the install left them missing): install Node.js and npm (Debian: apt-get install nodejs npm), then run $0 again" >&2
		exit 3
	fi
	say "installing nodejs and npm with apt-get (Debian; missing: ${missing% })"
	sudo=""
	[[ $(id -u) == 0 ]] || sudo=sudo
	if ! { $sudo apt-get update -qq >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2; }; then
		echo "solc: installing nodejs and npm with apt-get failed (output above); missing: ${missing% }" >&2
		exit 3
	fi
	ONEIROS_SOLC_INSTALLED=1 exec "$0" "$@"
fi

# Node.js trusts only its bundled certificate authorities; Go, curl and apt trust the
# system's. Where the network goes through a TLS proxy that the system trusts, npm fails
# with SELF_SIGNED_CERT_IN_CHAIN unless Node.js is pointed at the system's bundle too.
if [[ -z ${NODE_EXTRA_CA_CERTS:-} ]]; then
	for ca in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt; do
		if [[ -r $ca ]]; then
			export NODE_EXTRA_CA_CERTS=$ca
			break
		fi
	done
fi

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9 # one install at a time per cache
if [[ ! -f $dir/complete ]]; then
	say "npm install --prefix $dir solc@$version"
	# Bounded: a registry that does not answer fails in minutes, loudly, instead of hanging.
	if ! timeout 600 npm install --prefix "$dir" --no-audit --no-fund --loglevel=error --fetch-timeout=60000 --fetch-retries=2 "solc@$version" >&2; then
		echo "solc: npm install --prefix $dir solc@$version failed (output above; no network or registry?)" >&2
		exit 1
	fi
	got=$("$bin" --version 2>&1) || { echo "solc: $bin --version failed: $got" >&2; exit 1; }
	[[ $got == "$version+"* ]] || { echo "solc: $bin reports $got, want $version" >&2; exit 1; }
	echo "$got" >"$dir/complete"
	say "solcjs $got installed in $dir"
fi
echo "$bin"
