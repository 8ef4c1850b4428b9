// Command fakequay runs fakequay as a local dev stub: an in-memory Red Hat
// Quay answering the superuser API on a loopback port.
//
//	go run ./fakequay/cmd/fakequay [-addr 127.0.0.1:8080] [-seed FILE] [-token TOKEN] [-log-format text|json]
//
// When it is ready it prints "fakequay listening on http://HOST:PORT" to
// stdout (and, when it generated one, the superuser token on the next
// line). SIGINT and SIGTERM shut it down gracefully.
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
