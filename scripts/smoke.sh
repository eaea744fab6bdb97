#!/usr/bin/env bash
# Smoke test of the standalone jar, started the way the README starts it (embedded PostgreSQL, fresh data dir):
#   1. waits for readiness, creates a project and reads it back with minVersion, stops it with SIGTERM and checks
#      that no postgres process of its data directory is left;
#   2. starts it again, creates a project, kills the JVM with SIGKILL (the embedded PostgreSQL keeps running),
#      starts it once more on the same data directory and reads both projects back.
# On the first start it also checks the generated operator key: it reads the projections, the admin key may not.
# Needs standalone/target/agentledger.jar (./mvnw verify or ./mvnw -pl standalone -am package builds it).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=standalone/target/agentledger.jar
PORT=${SMOKE_PORT:-18080}
BASE="http://localhost:$PORT"
DATA=$(mktemp -d /tmp/agentledger-smoke.XXXXXX)
chmod 755 "$DATA"
LOG="$DATA/app.log"
PID=
TOKEN=

[ -f "$JAR" ] || { echo "smoke: $JAR is missing; build it first" >&2; exit 1; }
unset AGENTLEDGER_DB_URL AGENTLEDGER_DB_USER AGENTLEDGER_DB_PASSWORD AGENTLEDGER_BOOTSTRAP_ADMIN_KEY \
    AGENTLEDGER_BOOTSTRAP_OPERATOR_KEY
export AGENTLEDGER_DATA_DIR="$DATA" SERVER_PORT="$PORT"

fail() {
    echo "smoke: FAILED: $*" >&2
    echo "---- last lines of the application log ----" >&2
    tail -n 60 "$LOG" >&2 || true
    [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true
    pkill -9 -f -- "-D $DATA/postgres" 2>/dev/null || true
    exit 1
}

postgres_pids() {
    pgrep -f -- "-D $DATA/postgres" || true
}

start() {
    java -jar "$JAR" >>"$LOG" 2>&1 &
    PID=$!
    for _ in $(seq 1 180); do
        kill -0 "$PID" 2>/dev/null || fail "the application exited during start"
        if curl -fsS "$BASE/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; then
            grep -q "AgentLedger ready at http://localhost:$PORT" "$LOG" || fail "no ready line in the log"
            return
        fi
        sleep 0.5
    done
    fail "not ready after 90 s"
}

stop_gracefully() {
    kill -TERM "$PID"
    local status=0
    wait "$PID" || status=$?
    [ "$status" = 0 ] || [ "$status" = 143 ] || fail "exit status $status after SIGTERM"
    PID=
    [ -z "$(postgres_pids)" ] || fail "postgres processes left behind after SIGTERM: $(postgres_pids)"
}

# An access token for the key that the first start generated, printed once and kept in the data directory.
token_of() {
    local key body
    key=$(cat "$DATA/bootstrap-$1-key") || fail "no generated $1 key in $DATA"
    [ "$(grep -c -- "$key" "$LOG")" = 1 ] || fail "the generated $1 key was not printed exactly once"
    body=$(curl -fsS -X POST "$BASE/v1/auth/token" -H 'Content-Type: application/json' \
        -d "{\"grantType\":\"api_key\",\"apiKey\":\"$key\"}") || fail "exchanging the $1 key"
    echo "$body" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}

login() {
    TOKEN=$(token_of admin)
}

# The projections are the operator's: it reads their status, a tenant's admin gets 403.
check_operator() {
    local operator
    operator=$(token_of operator)
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $operator" "$BASE/v1/admin/projections")" = 200 ] \
        || fail "the operator could not read the projections"
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/v1/admin/projections")" = 403 ] \
        || fail "the admin was not refused the projections"
}

create_project() {
    local body
    body=$(curl -fsS -X POST "$BASE/v1/projects" -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/json' -d "{\"name\":\"$1\"}") || fail "creating project $1"
    echo "$body" | sed -E 's/.*"id":"([^"]+)".*/\1/'
}

read_project() {
    curl -fsS -H "Authorization: Bearer $TOKEN" "$BASE/v1/projects/$1?minVersion=0" \
        | grep -q "\"name\":\"$2\"" || fail "reading project $1 ($2)"
}

echo "smoke: data directory $DATA, port $PORT"
start
login
check_operator
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/v1/projects")" = 401 ] || fail "an anonymous read was not refused"
first=$(create_project "Smoke one")
read_project "$first" "Smoke one"
stop_gracefully
echo "smoke: create, read and graceful stop OK"

start
login
read_project "$first" "Smoke one"
second=$(create_project "Smoke two")
kill -9 "$PID"
wait "$PID" 2>/dev/null || true
PID=
[ -n "$(postgres_pids)" ] || echo "smoke: note: the embedded PostgreSQL did not outlive the JVM"
start
login
read_project "$first" "Smoke one"
read_project "$second" "Smoke two"
stop_gracefully
echo "smoke: recovery after SIGKILL OK"

rm -rf "$DATA"
echo "smoke: 2 passed, 0 failed"
