module github.com/oneiros-zk/oneiros/plugins/evm

go 1.26.8
