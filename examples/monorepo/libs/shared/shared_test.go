package shared

import "testing"

func TestGreeting(t *testing.T) {
	if got := Greeting("api"); got != "hello from api" {
		t.Fatalf("Greeting = %q", got)
	}
	if len(NewID()) != 36 {
		t.Fatal("NewID is not a UUID")
	}
}
