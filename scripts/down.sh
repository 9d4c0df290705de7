#!/usr/bin/env bash
# Stops the PostgreSQL cluster that scripts/up.sh started (its data stays in .local/pg).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/pg-local.sh stop .local/pg
