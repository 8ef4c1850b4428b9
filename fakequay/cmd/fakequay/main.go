// Command fakequay runs fakequay as a local dev stub: an in-memory Red Hat
// Quay answering the superuser API on a loopback port.
//
//	go run ./fakequay/cmd/fakequay [-addr 127.0.0.1:8080] [-seed FILE] [-data DIR] [-token TOKEN] [-log-format text|json]
//
// When it is ready it prints "fakequay listening on http://HOST:PORT" to
// stdout (and, without -seed and -token, the superuser token on the next
// line). SIGINT and SIGTERM shut it down gracefully: new connections are
// refused, requests in flight finish, and with -data the state is
// snapshotted.
//
// "fakequay snapshot -url URL -token T > seed.json" instead reads a Quay's
// state through its API as a superuser and writes it as a seed file (see
// package fakequay/snapshot).
//
// Without -data the state lives in memory only and nothing is written to
// disk. With -data DIR (created if missing) every write is journaled and
// fsynced before it is answered, so every acknowledged write survives a
// crash, kill -9 included. The first start on an empty DIR loads -seed;
// later starts restore DIR's state (with the first start's config and
// tokens) and do not read -seed. Two stubs cannot share one DIR.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "fakequay:", err)
		os.Exit(1)
	}
}
