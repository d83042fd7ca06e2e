#!/usr/bin/env bash
# Installs what the tests need on a fresh machine, then runs every test suite once.
# Usage: bash tests/run.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '== %s\n' "$*"; }

# --- Debian packages: gRPC stacks for interop, h2load for the bench, PostgreSQL for the storage tests.
need_pkgs=()
/usr/bin/python3 -c 'import grpc, grpc_tools' 2>/dev/null || need_pkgs+=(python3-grpcio python3-grpc-tools)
command -v protoc >/dev/null || need_pkgs+=(protobuf-compiler)
command -v pg_ctlcluster >/dev/null || need_pkgs+=(postgresql)
command -v node >/dev/null || need_pkgs+=(nodejs npm)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# --- npm packages for the grpc-js interop clients.
node_dir=tests/PartnerExchange.Interop.Tests/node
if [ -f "$node_dir/package.json" ] && [ ! -d "$node_dir/node_modules/@grpc/grpc-js" ]; then
  log "installing npm packages in $node_dir"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- PostgreSQL on loopback, with a role for the tests.
if [ -z "${PX_TEST_POSTGRES:-}" ]; then
  pg_version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    log "creating PostgreSQL $pg_version cluster"
    pg_createcluster "$pg_version" main >/dev/null
  fi
  read -r ver name port status _ <<<"$(pg_lsclusters -h | head -n 1)"
  if [ "$status" != "online" ]; then
    log "starting PostgreSQL $ver/$name on port $port"
    pg_ctlcluster "$ver" "$name" start
  fi
  for _ in $(seq 1 30); do
    su postgres -c "psql -p $port -tAc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  su postgres -c "psql -p $port -tAc \"select 1 from pg_roles where rolname='px'\"" | grep -q 1 \
    || su postgres -c "psql -p $port -qc \"create role px login superuser password 'px'\""
  export PX_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=px;Password=px;Database=postgres"
fi

log "running every test suite"
dotnet test PartnerExchange.sln --nologo -v q "$@"
