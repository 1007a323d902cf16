#!/usr/bin/env bash
# Lints one package as it will be published: publint on the folder, then attw on the tarball
# that `pnpm pack` makes (pnpm rewrites workspace: ranges, so attw sees the real manifest).
set -euo pipefail
publint --strict
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pnpm pack --pack-destination "$tmp" >/dev/null
attw "$tmp"/*.tgz --profile node16
