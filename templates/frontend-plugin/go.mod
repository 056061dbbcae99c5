module github.com/oneiros-zk/oneiros/templates/frontend-plugin

go 1.26.8
