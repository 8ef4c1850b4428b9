module github.com/quaykit/go-quay

go 1.26
