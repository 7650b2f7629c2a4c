package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRoutes(t *testing.T) {
	srv := httptest.NewServer(Router("9.9.9"))
	defer srv.Close()

	res, err := http.Get(srv.URL + "/version")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got map[string]string
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got["version"] != "9.9.9" {
		t.Fatalf("version = %q, want 9.9.9", got["version"])
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Fatal("missing X-Request-Id")
	}
}

func TestDiagnoseOnHost(t *testing.T) {
	d := Diagnose()
	if d["tmpWritable"] != true {
		t.Fatalf("tmp not writable: %v", d)
	}
}
