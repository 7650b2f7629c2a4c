#!/usr/bin/env bash
# Starts what the integration suite needs: a Docker engine (BuildKit) and an OCI registry on
# 127.0.0.1:5000, then publishes the stand-in base images. Installs Debian's docker.io,
# docker-registry, busybox-static, shellcheck and apache2-utils (htpasswd), and actionlint
# (go install), when missing. A second registry on 127.0.0.1:5001 wants a login. Safe to run twice: what already answers is
# left alone, and only what this script started is recorded (by pid) for down.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${GSI_ENV_STATE:-/tmp/go-service-image-env}"
mkdir -p "$state"
DOCKER=/usr/bin/docker   # Debian's 20.10 client: BuildKit built in (the newer client on PATH has no buildx)

need=()
for pkg in docker.io docker-registry busybox-static shellcheck apache2-utils openssl ca-certificates; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
    echo "up: missing ${need[*]}, and this script installs them only with apt-get as root (Debian/Ubuntu)." >&2
    echo "up: install the equivalents yourself (a Docker engine with BuildKit, a registry on 127.0.0.1:5000, busybox static, shellcheck, htpasswd), or run the fast suite alone: npm test" >&2
    exit 1
  fi
  echo "up: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# actionlint checks the generated workflows (with shellcheck for their run: scripts).
ACTIONLINT_VERSION=v1.7.12
command -v go >/dev/null 2>&1 || { echo "up: Go is missing (it builds actionlint and the stand-in builder image): install Go 1.22 or later" >&2; exit 1; }
gobin="$(go env GOPATH)/bin"
if ! "$gobin/actionlint" -version 2>/dev/null | grep -qx "$ACTIONLINT_VERSION"; then
  echo "up: installing actionlint $ACTIONLINT_VERSION"
  go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi

# OpenSSF Scorecard scores the generated workflows. `go install` of it is refused by the module
# proxy's list endpoint, so the module is downloaded and built from a copy, once per version, into
# a cache directory later runs reuse (about 2 minutes on 2 cores).
SCORECARD_VERSION=v5.3.0
tools="${GSI_TOOLS:-$HOME/.cache/gsi-tools}"
scorecard="$tools/scorecard-$SCORECARD_VERSION/scorecard"
if [ ! -x "$scorecard" ]; then
  echo "up: building OpenSSF Scorecard $SCORECARD_VERSION (once, into $tools)"
  mkdir -p "$(dirname "$scorecard")"
  tmp="$(mktemp -d)"
  moddir="$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "github.com/ossf/scorecard/v5@$SCORECARD_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  cp -r "$moddir/." "$tmp/src" && chmod -R u+w "$tmp/src"
  (cd "$tmp/src" && go build -o "$scorecard.tmp" .) && mv "$scorecard.tmp" "$scorecard"
  rm -rf "$tmp"
fi

# BuildKit and buildx of today, for the CI replay and the engine comparison: buildkit's go.mod has
# exclude directives, so `go install` refuses it; both are built from a copy of the module, once per
# version, into the cache directory (about 1.5 and 1 minutes). buildx is installed as the docker
# CLI plugin of Debian's 20.10 client, which drives a buildkitd through the remote driver.
BUILDKIT_VERSION=v0.34.2
BUILDX_VERSION=v0.38.2
build_module() { # module@version, output dir, packages...
  local mod=$1 out=$2; shift 2
  local tmp moddir
  tmp="$(mktemp -d)"
  moddir="$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  cp -r "$moddir/." "$tmp/src" && chmod -R u+w "$tmp/src"
  mkdir -p "$out.tmp" && (cd "$tmp/src" && go build -o "$out.tmp/" "$@") && rm -rf "$out" && mv "$out.tmp" "$out"
  rm -rf "$tmp"
}
if [ ! -x "$tools/buildkit-$BUILDKIT_VERSION/buildkitd" ]; then
  echo "up: building BuildKit $BUILDKIT_VERSION (once, into $tools)"
  build_module "github.com/moby/buildkit@$BUILDKIT_VERSION" "$tools/buildkit-$BUILDKIT_VERSION" ./cmd/buildkitd ./cmd/buildctl
fi
if [ ! -x "$tools/buildx-$BUILDX_VERSION/buildx" ]; then
  echo "up: building buildx $BUILDX_VERSION (once, into $tools)"
  build_module "github.com/docker/buildx@$BUILDX_VERSION" "$tools/buildx-$BUILDX_VERSION" ./cmd/buildx
fi
# shellcheck source=install-tool.sh
. "$here/install-tool.sh"
install_tool "$tools/buildx-$BUILDX_VERSION/buildx" "$HOME/.docker/cli-plugins/docker-buildx"
command -v runc >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq runc >/dev/null; }

wait_for() { # what, seconds, command...
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 "$((secs * 4))"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "up: $what did not answer within ${secs}s" >&2
  return 1
}
registry_up() { curl -fsS http://127.0.0.1:5000/v2/ >/dev/null; }

if $DOCKER info >/dev/null 2>&1; then
  echo "up: docker engine already running"
else
  echo "up: starting dockerd"
  # No default bridge: builds and containers use --network host or none. The mirror makes
  # FROM golang:… and FROM alpine:… resolve to the stand-ins pushed to the local registry.
  nohup dockerd --iptables=false --ip6tables=false --bridge=none \
    --registry-mirror http://127.0.0.1:5000 >"$state/dockerd.log" 2>&1 &
  echo $! >"$state/dockerd.pid"
  wait_for dockerd 60 $DOCKER info || { tail -20 "$state/dockerd.log" >&2; exit 1; }
fi

if registry_up; then
  echo "up: registry already answering on 127.0.0.1:5000"
else
  echo "up: starting docker-registry on 127.0.0.1:5000"
  nohup docker-registry serve "$here/registry.yml" >"$state/registry.log" 2>&1 &
  echo $! >"$state/registry.pid"
  wait_for registry 30 registry_up || { tail -20 "$state/registry.log" >&2; exit 1; }
fi

# The registry that wants a login, for the fault tests. Its htpasswd lives in the state dir
# (the path registry-auth.yml names).
[ "$state" = /tmp/go-service-image-env ] || echo "up: note: registry-auth.yml expects its htpasswd in /tmp/go-service-image-env" >&2
auth_up() { [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:5001/v2/)" = 401 ]; }
if auth_up; then
  echo "up: login registry already answering on 127.0.0.1:5001"
else
  echo "up: starting docker-registry with a login on 127.0.0.1:5001"
  htpasswd -Bbn gsi-user gsi-pass >"$state/htpasswd"
  nohup docker-registry serve "$here/registry-auth.yml" >"$state/registry-auth.log" 2>&1 &
  echo $! >"$state/registry-auth.pid"
  wait_for "login registry" 30 auth_up || { tail -20 "$state/registry-auth.log" >&2; exit 1; }
fi

# The TLS registry with deletes enabled, for the deletion tests: a production registry as the
# providers see it (@pulumi/docker-build's registry client never reaches a plain-HTTP one). Its CA
# is made here once and trusted by the system (the providers' Go TLS reads the system store), by
# the Docker engine (certs.d) and by the test builders (buildkitd.toml names it).
TLS_PORT=5443
tls="$state/tls"
if [ ! -s "$tls/registry.crt" ]; then
  echo "up: making the test CA and the TLS registry's certificate (127.0.0.1)"
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=go-service-image test CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tls/registry.key" -out "$tls/registry.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$tls/ext.cnf"
  openssl x509 -req -in "$tls/registry.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 3650 \
    -extfile "$tls/ext.cnf" -out "$tls/registry.crt" 2>/dev/null
fi
if ! cmp -s "$tls/ca.crt" /usr/local/share/ca-certificates/go-service-image-test-ca.crt; then
  cp "$tls/ca.crt" /usr/local/share/ca-certificates/go-service-image-test-ca.crt
  update-ca-certificates >/dev/null 2>&1
fi
mkdir -p "/etc/docker/certs.d/127.0.0.1:$TLS_PORT"
cp "$tls/ca.crt" "/etc/docker/certs.d/127.0.0.1:$TLS_PORT/ca.crt"
tls_up() { curl -fsS --cacert "$tls/ca.crt" "https://127.0.0.1:$TLS_PORT/v2/" >/dev/null; }
if tls_up; then
  echo "up: TLS registry already answering on 127.0.0.1:$TLS_PORT"
else
  echo "up: starting docker-registry with TLS and deletes on 127.0.0.1:$TLS_PORT"
  cat >"$tls/registry.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/go-service-image-registry-tls
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$TLS_PORT
  tls:
    certificate: $tls/registry.crt
    key: $tls/registry.key
YML
  nohup docker-registry serve "$tls/registry.yml" >"$state/registry-tls.log" 2>&1 &
  echo $! >"$state/registry-tls.pid"
  wait_for "TLS registry" 30 tls_up || { tail -20 "$state/registry-tls.log" >&2; exit 1; }
fi

"$here/stand-ins.sh"
echo "up: ready (engine $($DOCKER version --format '{{.Server.Version}}'), registry 127.0.0.1:5000)"
