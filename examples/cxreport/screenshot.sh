#!/usr/bin/env bash
# screenshot.sh [OUT.png] — writes the HTML report of the embedded sample, opens it in headless
# chromium (installed with apt-get when missing), takes a screenshot and checks that the
# charts are drawn (pngcheck: share of non-white and coloured pixels, luminance spread).
# Skips, with a message and exit 0, only when chromium is absent and cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-/tmp/cxreport-screenshot.png}"
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "screenshot: installing chromium" >&2
  if ! { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2; }; then
    echo "screenshot: SKIPPED — chromium is not installed and apt-get could not install it"
    exit 0
  fi
  chromium=$(command -v chromium)
fi
work=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$work" "$profile"' EXIT
go run ./examples/cxreport -html "$work/report.html" >/dev/null 2>&1
if grep -qiE '<script|https?://[^"]*\.(js|css)' "$work/report.html"; then
  echo "screenshot: report.html loads scripts or remote resources; it must be self-contained"; exit 1
fi
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --hide-scrollbars --screenshot="$out" --window-size=1400,2000 "file://$work/report.html" >/dev/null 2>&1
[ -s "$out" ] || { echo "screenshot: chromium wrote no screenshot"; exit 1; }
go run ./examples/cxreport/pngcheck "$out"
