#!/usr/bin/env sh
# Compiles the example contracts with solc 0.8.26 (npm package solc, development time
# only; its default EVM version is Cancun), writing <Name>.bin (creation code) and <Name>.bin-runtime.
#   npm install --prefix /tmp/solc solc@0.8.26
#   SOLCJS=/tmp/solc/node_modules/.bin/solcjs ./compile.sh
set -eu
cd "$(dirname "$0")"
SOLCJS=${SOLCJS:-solcjs}
for c in Token Squares; do
	"$SOLCJS" --bin --optimize --optimize-runs 200 -o build "$c.sol" >/dev/null
	cp "build/${c}_sol_${c}.bin" "$c.bin"
done
"$SOLCJS" --version > solc.version
rm -rf build
