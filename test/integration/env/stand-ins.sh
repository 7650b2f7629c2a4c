#!/usr/bin/env bash
# Builds the stand-in base images the generated Dockerfiles name, from what this machine has, and
# publishes them where a real engine would find the real ones:
#   127.0.0.1:5000/library/golang:<v>-alpine   builder: busybox as /bin/sh, the host's Go, CA certificates, GOPATH /go
#   127.0.0.1:5000/library/alpine:3.22         alpine-like runtime: busybox shell, CA certificates, an apk that
#                                              only "installs" what is already there (ca-certificates)
#   gcr.io/distroless/static-debian12:nonroot  distroless-like: CA certificates, passwd with nonroot 65532, /tmp; tagged
#                                              in the engine only (the registry mirror serves Docker Hub names, not gcr.io)
#   127.0.0.1:5000/base/static:1               a custom runtime image for the { image } choice
# The Go versions are the go.mod versions of the examples. Re-running rebuilds from the build cache.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

goroot="$(go env GOROOT)"
certs=/etc/ssl/certs/ca-certificates.crt
[ -f "$certs" ] || { apt-get install -y -qq ca-certificates >/dev/null; }

# Shared pieces: busybox (static) and the CA bundle.
mkdir -p "$work/common/etc/ssl/certs"
cp /bin/busybox "$work/common/busybox"
cp "$certs" "$work/common/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$work/common/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$work/common/etc/group"

build() { # tag, dockerfile text
  local tag=$1
  printf '%s\n' "$2" >"$work/common/Dockerfile.$$"
  $DOCKER build -q --network none -f "$work/common/Dockerfile.$$" -t "$tag" "$work/common" >/dev/null
}

# Builder: the host toolchain, minus what builds never read.
cp -a "$goroot" "$work/common/go"
rm -rf "$work/common/go/test" "$work/common/go/doc" "$work/common/go/api" "$work/common/go/misc"
versions=$( { awk '$1 == "go" { print $2 } $1 == "toolchain" { sub(/^go/, "", $2); print $2 }' "$root"/examples/*/go.mod; echo 1.22; } | sort -u)  # 1.22: the test fixtures' go.mod
for v in $versions; do
  tag="127.0.0.1:5000/library/golang:${v}-alpine"
  build "$tag" "FROM scratch
COPY busybox /bin/busybox
RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]
COPY etc/ssl/ /etc/ssl/
COPY go/ /usr/local/go/
ENV GOPATH=/go PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin GOTOOLCHAIN=local HOME=/root
RUN mkdir -p /go/bin /go/src /root /tmp && chmod 1777 /tmp
WORKDIR /go"
  $DOCKER push -q "$tag" >/dev/null
  echo "stand-ins: $tag (Go $(go env GOVERSION))"
done
rm -rf "$work/common/go"

# The alpine stand-in has no package index: its `apk` succeeds only for what the image already
# has (ca-certificates), so Dockerfiles that run `apk add --no-cache ca-certificates` (the classic
# multi-stage Dockerfile the benchmarks compare with) build unchanged; anything else fails loudly.
cat >"$work/common/apk" <<'APK'
#!/bin/sh
# stand-in apk: knows only the packages this image already provides
[ "$1" = add ] || { echo "stand-in apk: only 'add' is supported" >&2; exit 1; }
shift
for p in "$@"; do
  case "$p" in
    --no-cache) ;;
    ca-certificates) [ -f /etc/ssl/certs/ca-certificates.crt ] ;;
    *) echo "stand-in apk: cannot install $p (no network)" >&2; exit 1 ;;
  esac
done
APK
# Debian's busybox-static has no adduser applet: a minimal one for `adduser -D [-u UID] NAME`.
cat >"$work/common/adduser" <<'ADDUSER'
#!/bin/sh
# stand-in adduser: adduser -D [-H] [-u UID] NAME
uid=1000
while [ $# -gt 1 ]; do
  case "$1" in
    -u) uid=$2; shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
name=$1
echo "$name:x:$uid:$uid:$name:/home/$name:/sbin/nologin" >>/etc/passwd
echo "$name:x:$uid:" >>/etc/group
ADDUSER
chmod 755 "$work/common/apk" "$work/common/adduser"
build 127.0.0.1:5000/library/alpine:3.22 "FROM scratch
COPY busybox /bin/busybox
RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]
COPY apk /sbin/apk
COPY adduser /usr/sbin/adduser
COPY etc/ /etc/
RUN mkdir -p /tmp /home/nonroot && chmod 1777 /tmp && chown 65532:65532 /home/nonroot"
$DOCKER push -q 127.0.0.1:5000/library/alpine:3.22 >/dev/null
echo "stand-ins: 127.0.0.1:5000/library/alpine:3.22"

mkdir -p "$work/common/static/tmp" "$work/common/static/home/nonroot"
cp -a "$work/common/etc" "$work/common/static/etc"
chmod 1777 "$work/common/static/tmp"
static="FROM scratch
COPY static/ /
USER 65532:65532"
build gcr.io/distroless/static-debian12:nonroot "$static"
echo "stand-ins: gcr.io/distroless/static-debian12:nonroot (engine only)"
build 127.0.0.1:5000/base/static:1 "$static"
$DOCKER push -q 127.0.0.1:5000/base/static:1 >/dev/null
echo "stand-ins: 127.0.0.1:5000/base/static:1"
