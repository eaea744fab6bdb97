#!/usr/bin/env bash
# The benchmark (docs/benchmarks.md): builds the standalone and benchmark jars, then starts one PostgreSQL,
# AgentLedger and the row-lock baseline side by side, runs every scenario of quality.md's performance table, prints
# one table and writes it into docs/benchmarks.md. Options are passed through, for example:
#   bench/run.sh --agents 32 --tasks 20000 --duration 60s
#   bench/run.sh --scenarios claim,race --duration 30s --write none
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl standalone,bench -am package -DskipTests -Djacoco.skip=true
exec java -jar bench/target/agentledger-bench.jar "$@"
