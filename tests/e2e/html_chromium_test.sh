#!/usr/bin/env bash
# Renders report.html in headless Chromium: the page must load, its DOM must show the key
# figures of report.json, and a full-page screenshot is written (into the build tree).
# Fails when chromium is missing: CI installs it (.ci/run, scripts/install-deps.sh).
#   html_chromium_test.sh CONVAUDIT_BINARY SOURCE_DIR SCREENSHOT_PNG
set -euo pipefail
bin=$1
src=$2
shot=$3
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "FAIL: chromium is not installed (apt-get install chromium)"
  exit 1
fi
command -v jq >/dev/null || { echo "FAIL: jq is not installed"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" keygen --out "$work/keys" >/dev/null
"$bin" run "$src/examples/conversations.jsonl" --out "$work/out" --keys "$work/keys" >/dev/null
page="$work/out/report.html"

# Self-contained: nothing fetched from anywhere.
if grep -Eiq '<script|<link|<img|<iframe|https?://[^"<]*\.(js|css|png|woff)' "$page"; then
  echo "FAIL: report.html references scripts or external resources"; exit 1
fi

flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --user-data-dir="$work/profile" --disable-extensions --disable-background-networking)
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$page" > "$work/dom.html" 2> "$work/chromium.log" || {
  echo "FAIL: chromium could not load the page"; cat "$work/chromium.log"; exit 1; }
grep -q '</html>' "$work/dom.html" || { echo "FAIL: empty DOM"; cat "$work/chromium.log"; exit 1; }
if grep -Eq 'ERR_|Uncaught|Failed to load' "$work/chromium.log"; then
  echo "FAIL: errors while loading the page"; cat "$work/chromium.log"; exit 1
fi

# Key figures of report.json appear as text in the rendered DOM.
report="$work/out/report.json"
text=$(sed -e 's/<[^>]*>/ /g' "$work/dom.html" | tr -s ' \n' ' ')
check() {  # check LABEL VALUE: VALUE appears as a word in the page text
  if ! grep -Eq "(^|[^0-9.])$2([^0-9.]|$)" <<<"$text"; then
    echo "FAIL: $1 ($2) is not shown on the page"; exit 1
  fi
}
check conversations "$(jq -r .summary.conversations "$report")"
check messages "$(jq -r .summary.messages "$report")"
check "security incidents" "$(jq -r .security.incidents.total "$report")"
check "blocked incidents" "$(jq -r .security.incidents.blocked "$report")"
check "quality mean" "$(jq -r .quality.mean "$report" | sed 's/\./\\./')"
check "flagged conversations" "$(jq -r .summary.flagged_conversations "$report")"
check rejected "$(jq -r .data_quality.rejected "$report")"
riskiest=$(jq -r '.security.riskiest[0].session_id' "$report")
grep -qF "$riskiest" <<<"$text" || { echo "FAIL: riskiest session $riskiest not shown"; exit 1; }
grep -q '<svg' "$work/dom.html" || { echo "FAIL: no SVG chart in the page"; exit 1; }

# A screenshot for people to look at (kept out of git: it is written into the build tree).
rm -f "$shot"
timeout 120 "$browser" "${flags[@]}" --hide-scrollbars --window-size=1280,2400 \
  --screenshot="$shot" "file://$page" > "$work/shot.log" 2>&1 || {
  echo "FAIL: chromium could not take a screenshot"; cat "$work/shot.log"; exit 1; }
[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || {
  echo "FAIL: $shot is not a PNG"; exit 1; }
size=$(wc -c < "$shot")
[ "$size" -gt 20000 ] || { echo "FAIL: screenshot is only $size bytes (blank page?)"; exit 1; }
echo "OK: report.html renders in Chromium with the key figures; screenshot $shot ($size bytes)"
