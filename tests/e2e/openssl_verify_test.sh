#!/usr/bin/env bash
# Verifies a report with standard tools only (jq, base64, sha256sum, openssl), exactly as
# docs/report-format.md tells a third party to, then checks the same steps catch tampering.
#   openssl_verify_test.sh CONVAUDIT_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" keygen --out "$work/keys" >/dev/null
"$bin" run "$src/examples/conversations.jsonl" --out "$work/out" --keys "$work/keys" >/dev/null
cp "$work/keys/signing.pub" "$work/out/"
cd "$work/out"

# The documented steps.
type=$(jq -r .payloadType report.dsse.json)
jq -r .payload report.dsse.json | base64 -d > statement.json
jq -r '.signatures[0].sig' report.dsse.json | base64 -d > sig.bin
{ printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(wc -c < statement.json)"; cat statement.json; } > pae.bin
openssl pkeyutl -verify -pubin -inkey signing.pub -rawin -in pae.bin -sigfile sig.bin \
  | grep -q "Signature Verified Successfully"
signed=$(jq -r '.subject[0].digest.sha256' statement.json)
actual=$(sha256sum report.json | cut -d' ' -f1)
[ "$signed" = "$actual" ] || { echo "FAIL: digest $signed != $actual"; exit 1; }
[ "$type" = "application/vnd.in-toto+json" ] || { echo "FAIL: payload type $type"; exit 1; }

# Tampering is caught by the same steps.
fail_expected() { if "$@" >/dev/null 2>&1; then echo "FAIL: tampering not caught: $*"; exit 1; fi; }
# 1. a changed report.json no longer matches the signed digest
sed 's/"conversations":/"conversations":1/' report.json > tampered.json
[ "$(sha256sum tampered.json | cut -d' ' -f1)" != "$signed" ] || { echo "FAIL: digest"; exit 1; }
# 2. a changed payload type changes the signed bytes
{ printf 'DSSEv1 %d %s %d ' 16 "application/json" "$(wc -c < statement.json)"; cat statement.json; } > pae2.bin
fail_expected openssl pkeyutl -verify -pubin -inkey signing.pub -rawin -in pae2.bin -sigfile sig.bin
# 3. a changed statement byte
sed 's/report.json/report.jsoN/' statement.json > statement2.json
{ printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(wc -c < statement2.json)"; cat statement2.json; } > pae3.bin
fail_expected openssl pkeyutl -verify -pubin -inkey signing.pub -rawin -in pae3.bin -sigfile sig.bin
# 4. a flipped signature byte
orig=$(od -An -tu1 -j5 -N1 sig.bin | tr -d ' ')
printf "\\$(printf '%03o' $(( (orig + 1) % 256 )))" | dd of=sig.bin bs=1 seek=5 conv=notrunc 2>/dev/null
fail_expected openssl pkeyutl -verify -pubin -inkey signing.pub -rawin -in pae.bin -sigfile sig.bin
echo "OK: verified with openssl alone; tampering caught"
