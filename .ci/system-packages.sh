#!/usr/bin/env bash
# Debian packages the tests use beyond Node, installed only when missing (and `apt-get update` only then):
# - chromium: the browser test of the /docs page (mock-server/docs/), driven by playwright-core;
# - golang-go, a JDK, libjackson2-databind-java, python3-dateutil: the round trips of the generated
#   models (models-roundtrip/). Python 3 itself is on the machine;
# - wrk: the load generator of `npm run bench` (without it the benchmark falls back to autocannon, which
#   runs in Node beside the server it measures). `taskset`, for pinning, comes with util-linux;
# - redis-server: the shared state of several mock replicas (`--redis`); its tests and
#   `npm run bench -- --replicas` start one of their own on a free port, with no persistence.
# A test whose tool is still missing is skipped with a warning; nothing here downloads outside apt.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
{ command -v javac && command -v java; } >/dev/null 2>&1 || missing+=(default-jdk-headless)
[ -f /usr/share/java/jackson-databind.jar ] || missing+=(libjackson2-databind-java)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The Python models import dateutil: pyenv's python3 may have it; else Debian's python3 gets it from apt.
if ! python3 -c 'import dateutil' >/dev/null 2>&1 && ! /usr/bin/python3 -c 'import dateutil' >/dev/null 2>&1; then
  missing+=(python3-dateutil)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
echo "system packages: installed ${missing[*]}"
