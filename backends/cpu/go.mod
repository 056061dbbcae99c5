module github.com/oneiros-zk/oneiros/backends/cpu

go 1.26.8
