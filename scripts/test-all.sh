#!/usr/bin/env bash
# `npm test`: every suite, then one closing line summed over all of them.
set -u
cd "$(dirname "$0")/.."
mkdir -p reports
rm -f reports/*.json

check() { # name, command...: a check that passes or fails as a whole
  local name=$1; shift
  echo "== $name: $*"
  if "$@"; then echo "{\"passed\":1,\"failed\":0}" > "reports/$name.json"; else echo "{\"passed\":0,\"failed\":1}" > "reports/$name.json"; fi
}

suites=(lint typecheck build security vitest playwright)
check lint npx eslint .
check typecheck npx vue-tsc -b
check build npx electron-vite build
echo "== security audit (electronegativity on out/)"
node scripts/security-audit.mjs
echo "== vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json
echo "== playwright"
npx playwright test
if [ -f scripts/kernel-test/run.sh ] && [ "${GOLDFISH_SKIP_KERNEL:-0}" != 1 ]; then
  suites+=(kernel-branches arm-programs kernel)
  # The 3.4/ARM and /proc-fallback branches of the modules, compiled against the installed headers; the device
  # programs cross-compiled for goldfish ARM (static, -Werror). (No goldfish 3.4 kernel tree here: see resources/README.md.)
  check kernel-branches bash scripts/kernel-test/check-branches.sh
  check arm-programs make -s -C resources/programs CC=arm-linux-gnueabi-gcc OUT="$PWD/build/arm-programs"
  echo "== kernel (QEMU)"
  bash scripts/kernel-test/run.sh
fi
echo "== summary"
node scripts/test-summary.mjs "${suites[@]}"
