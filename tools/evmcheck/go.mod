module github.com/oneiros-zk/oneiros/tools/evmcheck

go 1.26.8

require github.com/ethereum/go-ethereum v1.16.8
