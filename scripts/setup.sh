#!/usr/bin/env bash
# Everything pydojo needs on a Debian machine: a running Docker engine, the sandbox image,
# a virtualenv with the project installed. Safe to run again; it only does what is missing.
# With --test it also installs what the test suite needs: PostgreSQL's server binaries and
# redis-server (the fixtures start throwaway servers on loopback), and Docker Compose (the
# deployment test reads docker-compose.yml with it).
set -euo pipefail
cd "$(dirname "$0")/.."
for_tests=""
[ "${1:-}" = "--test" ] && for_tests=1

say() { printf '[setup] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. Docker engine
if ! command -v dockerd >/dev/null 2>&1; then
  say "installing docker.io"
  apt_install docker.io
fi
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd"
  if command -v systemctl >/dev/null 2>&1 && systemctl start docker 2>/dev/null; then :; else
    as_root sh -c 'nohup dockerd >/var/log/dockerd.log 2>&1 &'
  fi
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { say "dockerd did not come up; see /var/log/dockerd.log"; exit 1; }
fi

# gVisor: the tests judge under both runtimes; `make run` needs it when the settings ask for it.
wants_gvisor=""
[ -n "$for_tests" ] && wants_gvisor=1
grep -qs '^PYDOJO_SANDBOX__RUNTIME=runsc' .env && wants_gvisor=1
[ "${PYDOJO_SANDBOX__RUNTIME:-}" = "runsc" ] && wants_gvisor=1
if [ -n "$wants_gvisor" ] && ! docker info 2>/dev/null | grep -q 'Runtimes:.*runsc'; then
  command -v runsc >/dev/null 2>&1 || { say "installing gVisor (runsc)"; apt_install runsc; }
  say "registering runsc with dockerd"
  as_root python3 - <<'PY'
import json, pathlib
path = pathlib.Path("/etc/docker/daemon.json")
config = json.loads(path.read_text()) if path.exists() and path.read_text().strip() else {}
# --network=none: gVisor refuses a network in the host's namespace; --oci-seccomp: apply the
# container's seccomp profile inside the sandbox too.
config.setdefault("runtimes", {})["runsc"] = {
    "path": "/usr/bin/runsc", "runtimeArgs": ["--network=none", "--oci-seccomp"]}
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(json.dumps(config, indent=2) + "\n")
PY
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker 2>/dev/null; then
    as_root systemctl reload docker || as_root systemctl restart docker
  else
    as_root kill -HUP "$(pidof dockerd)"  # dockerd reloads its runtimes without a restart
  fi
  for _ in $(seq 1 30); do docker info 2>/dev/null | grep -q 'Runtimes:.*runsc' && break; sleep 1; done
  docker info 2>/dev/null | grep -q 'Runtimes:.*runsc' || { say "dockerd did not pick up runsc"; exit 1; }
fi

if [ -n "$for_tests" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing PostgreSQL (for the storage tests)"
  apt_install postgresql
fi

if [ -n "$for_tests" ] && ! command -v redis-server >/dev/null 2>&1; then
  say "installing redis-server (for the job queue tests)"
  apt_install redis-server
fi
if [ -n "$for_tests" ] && ! docker compose version >/dev/null 2>&1 \
    && ! command -v docker-compose >/dev/null 2>&1; then
  say "installing docker-compose (for the deployment test)"
  apt_install docker-compose
fi

# 2. Python environment
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.pydojo-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing pydojo and its dependencies"
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi

# 3. Sandbox image (the Dockerfile when a registry answers, else debootstrap offline)
# Every Python's image: the configured one judges, the others serve `/run --python`.
if ! .venv/bin/python -c 'import sys; from runner.image import present; sys.exit(None in present().values())' >/dev/null 2>&1; then
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  say "building the sandbox images (Python 3.13 and 3.11)"
  .venv/bin/pydojo sandbox build --python all
fi
say "ready"
