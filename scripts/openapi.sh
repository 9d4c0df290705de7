#!/usr/bin/env bash
# Regenerates openapi/anon.json and openapi/authenticated.json: the OpenAPI documents the gateway serves to each role
# for the shipped migrations (db/migrations, no test fixtures), from a freshly migrated throwaway database.
# Review the diff and commit it; the CommittedDocumentTests fail while the committed files differ.
set -euo pipefail
cd "$(dirname "$0")/.."
GATEWAY_WRITE_OPENAPI=1 exec scripts/test.sh --filter "FullyQualifiedName~Gateway.IntegrationTests.OpenApi.CommittedDocumentTests" "$@"
