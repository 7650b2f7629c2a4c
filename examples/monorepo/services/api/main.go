// Command api is the monorepo example's API: it answers /hello with the shared library's greeting.
package main

import (
	"net/http"

	"example.com/monorepo/libs/shared"
)

var version = "dev"

func main() {
	shared.Serve("api", version, map[string]http.HandlerFunc{
		"/hello": func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(shared.Greeting("api") + "\n")) },
	})
}
