// Command worker is the monorepo example's worker: it answers /job with a new job id.
package main

import (
	"net/http"

	"example.com/monorepo/libs/shared"
)

var version = "dev"

func main() {
	shared.Serve("worker", version, map[string]http.HandlerFunc{
		"/job": func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(shared.NewID() + "\n")) },
	})
}
