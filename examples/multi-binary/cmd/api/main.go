// Command api is one of the two binaries the multi-binary example ships in one image.
package main

import "example.com/multi-binary/internal/serve"

var version = "dev"

func main() { serve.Run("api", version) }
