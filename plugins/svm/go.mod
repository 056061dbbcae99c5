module github.com/oneiros-zk/oneiros/plugins/svm

go 1.26.8
