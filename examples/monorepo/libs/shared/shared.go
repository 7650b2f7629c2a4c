// Package shared is the library both services of the monorepo example use: the HTTP plumbing
// (/healthz, /version, graceful shutdown) and what the services answer.
package shared

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/google/uuid"
)

// Greeting is what a service says hello with.
func Greeting(service string) string {
	return "hello from " + service
}

// NewID returns a random request id.
func NewID() string {
	return uuid.NewString()
}

// Serve runs an HTTP server on $PORT (default 8080) with /healthz, /version and the given routes,
// until SIGINT or SIGTERM.
func Serve(name, version string, routes map[string]http.HandlerFunc) {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("/version", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(version + "\n")) })
	for path, h := range routes {
		mux.HandleFunc(path, h)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	srv := &http.Server{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("%s %s listening on %s", name, version, srv.Addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
