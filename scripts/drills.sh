#!/usr/bin/env bash
# Reliability drills (docs/reliability.md): kill -9 of the server under the 32-agent claim load, a lease that expires
# while the server is down, PostgreSQL stopped for 10 s under load. Each prints PASS or FAIL with its figures; the
# results are written into docs/reliability.md. The drills run their own PostgreSQL server (the embedded binaries,
# in a temporary directory), so stopping it disturbs no other database on the machine. Options, for example:
#   scripts/drills.sh --drill kill          # one drill: kill, lease or outage
#   scripts/drills.sh --agents 16 --write none
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl standalone,bench -am package -DskipTests -Djacoco.skip=true
exec java -jar bench/target/agentledger-bench.jar --drill all "$@"
