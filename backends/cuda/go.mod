module github.com/oneiros-zk/oneiros/backends/cuda

go 1.26.8

require github.com/ingonyama-zk/icicle/v3 v3.9.2
