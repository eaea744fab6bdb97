#!/usr/bin/env bash
# Validates docker-compose.yml. There is no Docker engine here, only the client, so `config` is the check;
# Debian's docker-compose package is installed when the compose plugin is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker compose version >/dev/null 2>&1; then
    docker compose -f docker-compose.yml config --quiet
elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose -f docker-compose.yml config --quiet
else
    echo "compose: installing Debian's docker-compose to validate docker-compose.yml"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
    docker-compose -f docker-compose.yml config --quiet
fi
echo "compose: docker-compose.yml is valid"
