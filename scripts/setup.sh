#!/usr/bin/env bash
# Installs what the build and the interop tests need; idempotent and fast when already done.
# Usable from CI (.ci/run) and from launchers: no TTY, no prompts.
#   - checks JDK 25 at /usr/lib/jvm/temurin-25-jdk-amd64 (override with ENTRENAR_JAVA_HOME)
#   - Debian packages python3-confluent-kafka python3-avro python3-requests python3-torch kcat (only if
#     missing); torch and requests are all examples/python needs (PyTorch into the MLflow API, nothing from PyPI)
#   - npm dependencies of interop/node (npm ci, only if node_modules is missing or stale)
#   - libchdb.so (npm @chdb/lib-linux-x64-gnu) under ~/.cache/entrenar/chdb/VERSION, only if missing
#   - Debian's chromium and the npm packages of dashboard/web (uplot, playwright-core)
#   - sklearn's bundled datasets (digits, iris, wine, breast_cancer, diabetes) in ~/.cache/entrenar/datasets
# Python peers must run with /usr/bin/python3 (Debian's): a pyenv python3 may come first on PATH
# and cannot see Debian's dist-packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JDK="${ENTRENAR_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# python3-torch and python3-requests: examples/python/train_mlflow.py (PythonMlflowExampleTest)
DEBS=(python3-confluent-kafka python3-avro python3-requests python3-prometheus-client python3-torch kcat docker-compose)
PY=/usr/bin/python3
export DEBIAN_FRONTEND=noninteractive

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=
apt_install() {  # quiet apt-get install; prints apt's output only on failure
  local sudo=() log
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: cannot apt-get install $*"
    sudo=(sudo -n env DEBIAN_FRONTEND=noninteractive)
  fi
  log="$(mktemp)"
  if ! { { [[ -n $APT_UPDATED ]] || "${sudo[@]}" apt-get update -qq; } \
         && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@"; } </dev/null >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    die "apt-get install $* failed (output above)"
  fi
  APT_UPDATED=1
  rm -f "$log"
}

# 1. JDK 25
if [[ -x "$JDK/bin/java" ]] && "$JDK/bin/java" -version 2>&1 | grep -q 'version "25'; then
  say "JDK 25 ok at $JDK"
else
  die "JDK 25 not found at $JDK (install Temurin 25 there, or set ENTRENAR_JAVA_HOME)"
fi

# 2. Debian packages
missing=()
for p in "${DEBS[@]}"; do
  if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  apt_install "${missing[@]}"
else
  say "Debian packages ok (${DEBS[*]})"
fi
[[ -x "$PY" ]] || die "$PY missing"
"$PY" -c 'import confluent_kafka.avro, avro, requests' \
  || die "$PY cannot import confluent_kafka.avro, avro, requests"
# find_spec locates torch without importing it (an import takes seconds): setup stays fast
"$PY" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("torch") is None)' \
  || die "$PY cannot find torch (Debian's python3-torch)"
command -v kcat >/dev/null || die "kcat not on PATH after install"
say "python peers ok ($PY: confluent_kafka $("$PY" -c 'import confluent_kafka; print(confluent_kafka.version()[0])'))"

# 2b. tmux: the terminal test of `entrenar runs watch` drives the dashboard in a detached tmux pane
if command -v tmux >/dev/null; then
  say "tmux ok ($(tmux -V))"
else
  say "installing Debian package: tmux"
  apt_install tmux
fi

# 3. Node peer dependencies
NODE_DIR="$ROOT/interop/node"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  # The machine image ships Node.js 20; Debian's nodejs/npm are the fallback.
  say "installing Debian packages: nodejs npm"
  apt_install nodejs npm
fi
stamp="$NODE_DIR/node_modules/.package-lock.json"   # npm writes this on every install
if [[ ! -d "$NODE_DIR/node_modules" || ! -f "$stamp" \
      || ( -f "$NODE_DIR/package-lock.json" && "$NODE_DIR/package-lock.json" -nt "$stamp" ) \
      || "$NODE_DIR/package.json" -nt "$stamp" ]]; then
  if [[ -f "$NODE_DIR/package-lock.json" ]]; then
    say "npm ci in interop/node"
    npm_cmd=(npm ci)
  else
    say "npm install in interop/node (no lock file yet)"
    npm_cmd=(npm install)
  fi
  log="$(mktemp)"
  if ! (cd "$NODE_DIR" && "${npm_cmd[@]}" --no-audit --no-fund --loglevel=error) </dev/null >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    die "${npm_cmd[*]} in interop/node failed (output above)"
  fi
  rm -f "$log"
  touch "$stamp"
else
  say "node modules ok (interop/node)"
fi
(cd "$NODE_DIR" && node -e "require('kafkajs'); require('@kafkajs/confluent-schema-registry'); require('mlflow')") \
  || die "interop/node cannot load kafkajs / @kafkajs/confluent-schema-registry / mlflow"
# 4. chDB (the ClickHouse engine in-process, for sink-clickhouse): libchdb.so from npm's
# @chdb/lib-linux-x64-gnu, unpacked into a cache outside the repo (559 MB). The sink and its tests
# find it at $CHDB_DIR/libchdb.so (override with ENTRENAR_CHDB_LIB).
CHDB_VERSION=26.5.3
CHDB_DIR="${ENTRENAR_CACHE:-$HOME/.cache/entrenar}/chdb/$CHDB_VERSION"
if [[ -f "$CHDB_DIR/libchdb.so" ]]; then
  say "chDB $CHDB_VERSION ok ($CHDB_DIR/libchdb.so)"
else
  say "fetching chDB $CHDB_VERSION (npm @chdb/lib-linux-x64-gnu, ~170 MB) into $CHDB_DIR"
  tmp="$(mktemp -d)"
  log="$tmp/npm.log"
  if ! (cd "$tmp" && npm pack "@chdb/lib-linux-x64-gnu@$CHDB_VERSION" --loglevel=error) </dev/null >"$log" 2>&1; then
    cat "$log" >&2; rm -rf "$tmp"
    die "npm pack @chdb/lib-linux-x64-gnu@$CHDB_VERSION failed (output above)"
  fi
  tar xzf "$tmp"/chdb-lib-linux-x64-gnu-"$CHDB_VERSION".tgz -C "$tmp" package/libchdb.so \
    || { rm -rf "$tmp"; die "cannot unpack libchdb.so from the npm package"; }
  mkdir -p "$CHDB_DIR"
  mv "$tmp/package/libchdb.so" "$CHDB_DIR/libchdb.so.part" && mv "$CHDB_DIR/libchdb.so.part" "$CHDB_DIR/libchdb.so"
  rm -rf "$tmp"
  say "chDB $CHDB_VERSION installed ($CHDB_DIR/libchdb.so)"
fi

# 5. Real datasets for the trainer, from Debian's python3-sklearn package (extracted, not installed)
DATASETS="${ENTRENAR_DATASETS:-$HOME/.cache/entrenar/datasets}"
DATASET_FILES=(digits.csv.gz iris.csv wine_data.csv breast_cancer.csv diabetes_data_raw.csv.gz diabetes_target.csv.gz)
need_datasets=
for f in "${DATASET_FILES[@]}"; do [[ -s "$DATASETS/$f" ]] || need_datasets=1; done
if [[ -n $need_datasets ]]; then
  say "extracting datasets from python3-sklearn into $DATASETS"
  tmp="$(mktemp -d)"
  if ! (cd "$tmp" && apt-get download python3-sklearn) </dev/null >"$tmp/log" 2>&1; then
    (apt-get update -qq && cd "$tmp" && apt-get download python3-sklearn) </dev/null >"$tmp/log" 2>&1 \
      || { cat "$tmp/log" >&2; rm -rf "$tmp"; die "apt-get download python3-sklearn failed (output above)"; }
  fi
  dpkg -x "$tmp"/python3-sklearn_*.deb "$tmp/x"
  mkdir -p "$DATASETS"
  for f in "${DATASET_FILES[@]}"; do
    src="$tmp/x/usr/lib/python3/dist-packages/sklearn/datasets/data/$f"
    [[ -s "$src" ]] || { rm -rf "$tmp"; die "python3-sklearn has no $f"; }
    if [[ ! -s "$DATASETS/$f" ]]; then cp "$src" "$DATASETS/$f.tmp" && mv -f "$DATASETS/$f.tmp" "$DATASETS/$f"; fi
  done
  rm -rf "$tmp"
fi
for f in "${DATASET_FILES[@]}"; do [[ -s "$DATASETS/$f" ]] || die "dataset $DATASETS/$f missing"; done
say "datasets ok ($DATASETS)"
# 6. Web dashboard: Debian's Chromium (headless, for the browser tests) and dashboard/web's npm
# packages: uplot (its minified file is committed under dashboard/src/main/resources; checked here)
# and playwright-core (drives Chromium from the tests and benchmarks).
if command -v chromium >/dev/null; then
  say "chromium ok ($(chromium --version 2>/dev/null | head -1))"
else
  say "installing Debian package: chromium"
  apt_install chromium
  command -v chromium >/dev/null || die "chromium not on PATH after install"
fi
DASH_WEB="$ROOT/dashboard/web"
dash_stamp="$DASH_WEB/node_modules/.package-lock.json"
if [[ ! -f "$dash_stamp" || "$DASH_WEB/package-lock.json" -nt "$dash_stamp" || "$DASH_WEB/package.json" -nt "$dash_stamp" ]]; then
  say "npm ci in dashboard/web"
  log="$(mktemp)"
  if ! (cd "$DASH_WEB" && npm ci --no-audit --no-fund --loglevel=error) </dev/null >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    die "npm ci in dashboard/web failed (output above)"
  fi
  rm -f "$log"
  touch "$dash_stamp"
else
  say "node modules ok (dashboard/web)"
fi
"$ROOT/scripts/dashboard-assets" --check >/dev/null || die "dashboard assets out of date (see above)"
say "done"
