module github.com/oneiros-zk/oneiros/plugins/asm

go 1.26.8
