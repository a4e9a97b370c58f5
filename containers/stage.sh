#!/usr/bin/env bash
# Assemble the build context of the Karoo image: the built dist/, production node_modules, the
# Dockerfile and the image's default config. Run `npm ci && npm run build` first.
#
#   containers/stage.sh [DIR]     # default node_modules/.cache/karoo-image
#
# The default folder sits under node_modules/ so that git, eslint and prettier never look at it.
# Production modules come from the lockfile (`npm ci --omit=dev --ignore-scripts`; serialport's
# native prebuilds ship inside its package, so no install script is needed).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/node_modules/.cache/karoo-image}

if [ ! -f "$repo/dist/cli/main.js" ]; then
  echo "stage: $repo/dist/cli/main.js is missing; run npm run build first" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out/dist"
cp "$repo/package.json" "$repo/package-lock.json" "$out/"
# The build output without tests and source maps.
(cd "$repo/dist" && find . -type f -name '*.js' ! -name '*.test.js' ! -path '*/test-support/*' -print0 |
  xargs -0 cp --parents -t "$out/dist")
(cd "$out" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
mkdir -p "$out/config"
cp "$repo/deploy/docker/Dockerfile" "$repo/deploy/docker/karoo.json" "$out/"
cp "$repo/config/config.example.json" "$out/config/"
echo "$out"
