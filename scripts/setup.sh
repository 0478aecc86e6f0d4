#!/usr/bin/env bash
# Everything pydojo needs on a Debian machine: a running Docker engine, the sandbox image,
# a virtualenv with the project installed. Safe to run again; it only does what is missing.
# With --test it also installs what the test suite needs (PostgreSQL's server binaries: the
# fixtures start a throwaway cluster on loopback).
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

if [ -n "$for_tests" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing PostgreSQL (for the storage tests)"
  apt_install postgresql
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
if ! .venv/bin/python -c 'import sys; from bot.settings import get_settings; import docker; docker.from_env().images.get(get_settings().sandbox_image)' >/dev/null 2>&1; then
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  say "building the sandbox image"
  .venv/bin/pydojo sandbox build
fi
say "ready"
