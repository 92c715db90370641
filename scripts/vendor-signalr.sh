#!/usr/bin/env bash
# Refreshes the vendored SignalR browser client from its npm package (run by hand when upgrading).
set -euo pipefail
version="${1:-10.0.11}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund "@microsoft/signalr@$version" >/dev/null)
dest="$(dirname "$0")/../src/Web/wwwroot/lib/signalr"
cp "$tmp/node_modules/@microsoft/signalr/dist/browser/signalr.min.js" "$dest/"
sed -i "1s/^@microsoft\/signalr [0-9.]*/@microsoft\/signalr $version/" "$dest/LICENSE.txt"
echo "vendored @microsoft/signalr $version into $dest"
