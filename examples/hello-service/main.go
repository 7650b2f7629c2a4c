// Command hello-service is a small HTTP service used by the examples and tests of
// pulumi-go-service-image. It answers /healthz and /version, and its version is
// stamped at build time with -ldflags "-X main.version=...".
package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// version is set at build time; "dev" for plain `go run`.
var version = "dev"

func main() {
	addr := ":" + envOr("PORT", "8080")
	srv := &http.Server{Addr: addr, Handler: newMux(version), ReadHeaderTimeout: 5 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()

	log.Printf("hello-service %s listening on %s", version, addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
