#!/usr/bin/env bash
# mermaidcheck.sh FILE.mmd... — parse every Mermaid file with the real Mermaid parser
# (the npm package mermaid, mermaid.parse) in headless chromium; exit 1 listing the files
# that do not parse. Installs what it needs when missing:
#   - mermaid (npm install into $MERMAIDCHECK_CACHE, default /tmp/cxkit-mermaidcheck);
#   - chromium (apt-get update && apt-get install -y chromium) when /usr/bin/chromium is absent.
# The page check.html beside this script does the parsing; this script writes the diagrams
# into a diagrams.js next to a copy of it, runs chromium with --dump-dom and reads the result.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$#" -eq 0 ]; then echo "usage: $0 FILE.mmd..." >&2; exit 2; fi
for f in "$@"; do
  if [ ! -f "$f" ]; then echo "mermaidcheck: no such file: $f" >&2; exit 2; fi
done

cache="${MERMAIDCHECK_CACHE:-/tmp/cxkit-mermaidcheck}"
mermaid_version="${MERMAID_VERSION:-11}"
js="$cache/node_modules/mermaid/dist/mermaid.min.js"
if [ ! -f "$js" ]; then
  echo "mermaidcheck: installing mermaid@$mermaid_version into $cache" >&2
  mkdir -p "$cache"
  (cd "$cache" && { [ -f package.json ] || echo '{"private":true}' >package.json; } &&
    npm install --no-audit --no-fund --loglevel=error "mermaid@$mermaid_version" >&2)
fi
chromium=/usr/bin/chromium
if [ ! -x "$chromium" ]; then
  echo "mermaidcheck: installing chromium" >&2
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2
fi

work="$(mktemp -d)"
profile="$(mktemp -d)"
trap 'rm -rf "$work" "$profile"' EXIT
cp "$here/check.html" "$work/check.html"
cp "$js" "$work/mermaid.min.js"
# JSON-encode the files with node (installed with npm) so any character survives.
node -e '
const fs = require("fs");
const ds = process.argv.slice(1).map(f => ({ file: f, text: fs.readFileSync(f, "utf8") }));
process.stdout.write("window.DIAGRAMS = " + JSON.stringify(ds) + ";\n");
' "$@" >"$work/diagrams.js"

"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --allow-file-access-from-files --virtual-time-budget=5000 --dump-dom \
  "file://$work/check.html" >"$work/dom.html" 2>"$work/chromium.log" || {
  echo "mermaidcheck: chromium failed:" >&2; cat "$work/chromium.log" >&2; exit 1; }

result="$(sed -n '/<pre id="result">/,/<\/pre>/p' "$work/dom.html" |
  sed -e 's/<pre id="result">//' -e 's/<\/pre>.*//' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e 's/&amp;/\&/g')"
if ! grep -q '^DONE$' <<<"$result"; then
  echo "mermaidcheck: the page did not finish; output:" >&2
  echo "$result" >&2
  exit 1
fi
version="$(node -p "require('$cache/node_modules/mermaid/package.json').version")"
failed="$(grep '^FAIL ' <<<"$result" || true)"
n=$#
if [ -n "$failed" ]; then
  echo "mermaidcheck: mermaid $version could not parse $(grep -c . <<<"$failed") of $n file(s):" >&2
  sed 's/^FAIL /  /' <<<"$failed" >&2
  exit 1
fi
echo "mermaidcheck: mermaid $version parsed all $n file(s)"
