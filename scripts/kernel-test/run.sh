#!/usr/bin/env bash
# Real-kernel test: build the three modules and the static programs, boot
# Debian's own kernel in QEMU (TCG) with them in an initramfs, run the
# scenarios/*.json files inside the guest and read the KTEST markers from the
# serial console.
#
#   bash scripts/kernel-test/run.sh
#   KTEST_SCENARIOS=/some/dir bash scripts/kernel-test/run.sh   # other scenarios
#     (default: scenarios and scenarios/seed-defects, the built-in suites; a
#     colon-separated list runs several folders in one boot)
#
# Runs as root on a fresh Debian 12; installs what is missing.  Writes
# reports/kernel.json and build/kernel-test/serial.log, prints
# "kernel: N passed, M failed, K skipped" last, exits non-zero on any failure.
# A skipped check is one the guest cannot make (KTEST SKIP <name> <reason>).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build/kernel-test
CACHE=$ROOT/build/kernel-cache
REPORTS=$ROOT/reports
SCENARIOS=${KTEST_SCENARIOS:-$ROOT/scenarios:$ROOT/scenarios/seed-defects}	# folders of scenario .json files
QEMU_TIMEOUT=${KTEST_QEMU_TIMEOUT:-300}
T0=$(date +%s)

log() { echo "kernel-test: $*" >&2; }

write_report() {
	mkdir -p "$REPORTS"
	printf '{"suite":"kernel","passed":%d,"failed":%d,"skipped":%d}\n' "$1" "$2" "${3:-0}" \
		>"$REPORTS/kernel.json"
	echo "kernel: $1 passed, $2 failed, ${3:-0} skipped"
}

die() {
	log "$*"
	write_report 0 1
	exit 1
}

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# --- packages --------------------------------------------------------------
PKGS=(linux-headers-amd64 qemu-system-x86 busybox-static cpio gcc make libc6-dev)
missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi
command -v node >/dev/null || die "node is needed for scripts/kernel-test/gen-init.ts"
[ -d "$ROOT/node_modules/tsx" ] || die "run npm ci first: gen-init.ts runs with tsx"

# --- kernel: headers installed, image fetched into the cache ----------------
HDR=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1)
[ -n "$HDR" ] || die "no /usr/src/linux-headers-*-amd64 after installing linux-headers-amd64"
ABI=${HDR#/usr/src/linux-headers-}
KDIR=/lib/modules/$ABI/build
[ -e "$KDIR/Makefile" ] || KDIR=$HDR
VMLINUZ=$CACHE/$ABI/boot/vmlinuz-$ABI
if [ ! -f "$VMLINUZ" ]; then
	log "fetching linux-image-$ABI into $CACHE"
	mkdir -p "$CACHE/$ABI"
	(cd "$CACHE" && { apt-get download -q "linux-image-$ABI" >/dev/null 2>&1 ||
		{ apt-get update -qq && apt-get download -q "linux-image-$ABI" >/dev/null; }; })
	deb=$(ls "$CACHE"/linux-image-"$ABI"_*.deb | tail -1)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$CACHE/$ABI" "./boot/vmlinuz-$ABI"
	rm -f "$deb"
fi
log "kernel $ABI, headers $KDIR"

# --- build -----------------------------------------------------------------
rm -rf "$BUILD"
mkdir -p "$BUILD"
cp -r "$ROOT/resources/modules" "$BUILD/modules"
for m in oom set_mm_limit; do	# each builds mylimit first
	make -s -C "$BUILD/modules/$m" KDIR="$KDIR" >"$BUILD/make-$m.log" 2>&1 ||
		{ cat "$BUILD/make-$m.log" >&2; die "building $m.ko failed"; }
done
make -s -C "$ROOT/resources/programs" CC=gcc OUT="$BUILD/programs" >"$BUILD/make-programs.log" 2>&1 ||
	{ cat "$BUILD/make-programs.log" >&2; die "building the programs failed"; }
IFS=: read -r -a SCENARIO_DIRS <<<"$SCENARIOS"
node --import tsx "$ROOT/scripts/kernel-test/gen-init.ts" "${SCENARIO_DIRS[@]}" "$BUILD/gen" >&2 ||
	die "$SCENARIOS/*.json did not compile"

# --- initramfs -------------------------------------------------------------
RFS=$BUILD/rootfs
mkdir -p "$RFS"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,root,data/local/tmp,ktest}
cp /bin/busybox "$RFS/bin/busybox"
mknod "$RFS/dev/console" c 5 1 2>/dev/null || true
for m in mylimit set_mm_limit oom; do cp "$BUILD/modules/$m/$m.ko" "$RFS/data/local/tmp/"; done
cp "$BUILD"/programs/{oom,test,mmlimit,memsample} "$RFS/data/local/tmp/"
cp "$ROOT/scripts/kernel-test/guest-lib.sh" "$BUILD/gen/scenarios.sh" "$RFS/ktest/"
cat >"$RFS/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
system:x:1000:1000:system:/data:/bin/false
shell:x:2000:2000:shell:/data:/bin/false
u0_a70:x:10070:10070::/data:/bin/false
u0_a71:x:10071:10071::/data:/bin/false
PASSWD
cat >"$RFS/etc/group" <<'GROUP'
root:x:0:
u0_a70:x:10070:
u0_a71:x:10071:
GROUP
cat >"$RFS/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
echo "KTEST BOOTED $(uname -r)"
: >/tmp/dmesg.all
. /ktest/guest-lib.sh
. /ktest/scenarios.sh
final_checks
sed 's/^/KTEST DMESG /' /tmp/dmesg.all
echo "KTEST DONE"
poweroff -f
INIT
chmod 755 "$RFS/init" "$RFS"/data/local/tmp/{oom,test,mmlimit,memsample}
(cd "$RFS" && find . | cpio -o -H newc --quiet) | gzip -1 >"$BUILD/initramfs.cpio.gz"

# --- boot --------------------------------------------------------------------
QEMU_ARGS=(-accel tcg -m 512 -nographic -no-reboot -nic none
	-kernel "$VMLINUZ" -initrd "$BUILD/initramfs.cpio.gz"
	-append 'console=ttyS0 panic=-1 quiet')
[ -f /usr/share/qemu/qboot.rom ] && QEMU_ARGS+=(-bios /usr/share/qemu/qboot.rom)
log "booting (timeout ${QEMU_TIMEOUT}s), serial log in $BUILD/serial.log"
T1=$(date +%s)
qemu_rc=0
timeout "$QEMU_TIMEOUT" qemu-system-x86_64 "${QEMU_ARGS[@]}" </dev/null 2>&1 |
	tr -d '\r' >"$BUILD/serial.log" || qemu_rc=$?
T2=$(date +%s)
log "guest ran $((T2 - T1))s (qemu rc $qemu_rc)"

# --- verdict -----------------------------------------------------------------
passed=0
failed=0
skipped=0
while read -r name; do
	[ -n "$name" ] || continue
	if grep -qxF "KTEST PASS $name" "$BUILD/serial.log"; then
		passed=$((passed + 1))
	elif line=$(grep -F "KTEST SKIP $name " "$BUILD/serial.log" | head -1); then
		skipped=$((skipped + 1))
		log "$line"
	elif line=$(grep -F "KTEST FAIL $name " "$BUILD/serial.log" | head -1); then
		failed=$((failed + 1))
		log "$line"
	else
		failed=$((failed + 1))
		log "KTEST MISSING $name"
	fi
done <"$BUILD/gen/checks.txt"
if ! grep -q '^KTEST DONE' "$BUILD/serial.log"; then
	failed=$((failed + 1))
	log "the guest never printed KTEST DONE; last lines:"
	grep -v '^KTEST DMESG ' "$BUILD/serial.log" | tail -20 >&2
fi
log "total $(($(date +%s) - T0))s"
write_report "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
