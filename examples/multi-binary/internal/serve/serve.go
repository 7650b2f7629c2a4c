// Package serve is the HTTP plumbing both binaries of the multi-binary example share.
package serve

import (
	"log"
	"net/http"
	"os"
	"time"
)

// Run serves /healthz, /version and /whoami on $PORT (default 8080).
func Run(name, version string) {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("/version", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(version + "\n")) })
	mux.HandleFunc("/whoami", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(name + "\n")) })
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	srv := &http.Server{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("%s %s listening on %s", name, version, srv.Addr)
	log.Fatal(srv.ListenAndServe())
}
