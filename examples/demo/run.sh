#!/usr/bin/env bash
# npm run demo: builds examples/hello-service and pushes it by digest to a registry on this
# machine, end to end, on embedded defaults. With the Pulumi CLI it runs the example program
# (examples/basic) on Pulumi's local file backend; without it, it does the same through the
# go-service-image CLI's build, which hands the engine what the component hands @pulumi/docker.
# Needs Node and a Docker engine; says what is missing when something is.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
REGISTRY="${DEMO_REGISTRY:-localhost:5000}"
REPOSITORY="$REGISTRY/hello-service"
say() { printf 'demo: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

# A docker client that builds with BuildKit: one with the buildx plugin, or a 20.10 client (BuildKit built in).
pick_docker() {
  local c
  for c in ${GO_SERVICE_IMAGE_DOCKER:-} docker /usr/bin/docker; do
    command -v "$c" >/dev/null 2>&1 || continue
    if "$c" buildx version >/dev/null 2>&1; then echo "$c"; return; fi
    case "$("$c" version --format '{{.Client.Version}}' 2>/dev/null)" in 1[89].*|20.*) echo "$c"; return;; esac
  done
}
DOCKER="$(pick_docker)"
[ -n "$DOCKER" ] || fail "no docker client that builds with BuildKit: install Docker (with the buildx plugin), or set GO_SERVICE_IMAGE_DOCKER to such a client."
"$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1 || fail "the Docker engine does not answer ($DOCKER version failed): start it, or set DOCKER_HOST."
export GO_SERVICE_IMAGE_DOCKER="$DOCKER"

# Engines started without a default bridge (dockerd --bridge=none) build and run with the host network.
NETWORK=default
"$DOCKER" network inspect bridge >/dev/null 2>&1 || NETWORK=host

registry_up() { node -e "fetch('http://$REGISTRY/v2/').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; }
if registry_up; then
  say "using the registry answering on $REGISTRY"
else
  say "no registry on $REGISTRY: starting a throwaway one (docker rm -f gsi-demo-registry to remove it)"
  port="${REGISTRY##*:}"
  if [ "$NETWORK" = host ]; then
    "$DOCKER" run -d --rm --name gsi-demo-registry --network host -e "REGISTRY_HTTP_ADDR=127.0.0.1:$port" registry:2 >/dev/null
  else
    "$DOCKER" run -d --rm --name gsi-demo-registry -p "127.0.0.1:$port:5000" registry:2 >/dev/null
  fi
  for _ in $(seq 1 40); do registry_up && break; sleep 0.25; done
  registry_up || fail "the registry did not start on $REGISTRY: see $DOCKER logs gsi-demo-registry"
fi

[ -f dist/cli.js ] || { say "building the library (npm run build)"; npm run --silent build; }

if command -v pulumi >/dev/null 2>&1; then
  state="$root/.demo-state"
  mkdir -p "$state"
  export PULUMI_BACKEND_URL="file://$state" PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-demo}"
  say "running examples/basic with the Pulumi CLI on the local file backend ($state)"
  pulumi stack select --create demo --non-interactive >&2
  pulumi config set repository "$REPOSITORY" >&2
  pulumi config set network "$NETWORK" >&2
  pulumi up --yes --non-interactive >&2
  pulumi stack output imageRef
else
  say "the Pulumi CLI is not installed (https://www.pulumi.com/docs/install/): building through go-service-image build instead, which hands the engine exactly the inputs GoServiceImage hands @pulumi/docker"
  node bin/go-service-image.js build examples/hello-service --repository "$REPOSITORY" --network "$NETWORK" --push
fi
