// Package api holds the routes of deps-service.
package api

import (
	"crypto/x509"
	"encoding/json"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"
)

// Router returns the service's routes. /healthz and /version as in hello-service, and
// /diag, which reports what the runtime image provides: time zones, CA roots, a writable /tmp.
func Router(version string) http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			w.Header().Set("X-Request-Id", uuid.NewString())
			next.ServeHTTP(w, req)
		})
	})
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	r.Get("/version", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"version": version})
	})
	r.Get("/diag", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, Diagnose())
	})
	return r
}

// Diagnose checks the runtime environment the image gives the binary.
func Diagnose() map[string]any {
	out := map[string]any{}
	if loc, err := time.LoadLocation("Europe/Berlin"); err == nil {
		out["tzdata"] = loc.String()
	} else {
		out["tzdata"] = "error: " + err.Error()
	}
	pool, err := x509.SystemCertPool()
	// On Linux the system pool is loaded from the CA bundle, so an empty pool means no roots.
	out["caRoots"] = err == nil && pool != nil && len(pool.Subjects()) > 0 //nolint:staticcheck // a count is all we need
	if f, err := os.CreateTemp("", "diag-*"); err == nil {
		out["tmpWritable"] = true
		_ = f.Close()
		_ = os.Remove(f.Name())
	} else {
		out["tmpWritable"] = false
	}
	out["uid"] = os.Getuid()
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
