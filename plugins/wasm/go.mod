module github.com/oneiros-zk/oneiros/plugins/wasm

go 1.26.8
