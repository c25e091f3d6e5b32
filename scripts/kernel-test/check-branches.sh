#!/usr/bin/env bash
# Compile-check the branches of the modules that this x86_64 host does not
# build by default: the sys_call_table entry (ARM 3.4), the no-syscall
# fallback and the pre-5.6 file_operations /proc entry, each with -Werror
# against the installed headers.  Objects only (kallsyms_lookup_name is not
# exported any more, so the table variant would not link); with
# file_operations, 6.1's proc_create() wants proc_ops, so that one mismatch
# is let through as a warning.  3.4-only kernel APIs (task_uid() as uid_t,
# <linux/sched.h> alone) still need the real goldfish tree.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HDR=$(ls -d /usr/src/linux-headers-*-amd64 | sort -V | tail -1)
KDIR=/lib/modules/${HDR#/usr/src/linux-headers-}/build
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
status=0
for variant in "-DMM_SYSCALL_FORCE_TABLE" "-DMM_SYSCALL_FORCE_NONE" \
	"-DMM_PROC_FORCE_FOPS -Wno-error=incompatible-pointer-types"; do
	rm -rf "$WORK/modules"
	cp -r "$ROOT/resources/modules" "$WORK/modules"
	ok=1
	for m in mylimit oom set_mm_limit; do
		make -s -C "$KDIR" M="$WORK/modules/$m" ccflags-y="-Werror $variant" \
			"$m.o" >"$WORK/log" 2>&1 || { ok=0; cat "$WORK/log"; }
		grep -v "proc_create\|proc_ops\|file_operations\|In function\|In file included\|from \|^ *[0-9]* |\|^ *|" "$WORK/log" | grep -i "warning\|error" && ok=0
	done
	if [ $ok = 1 ]; then echo "branch $variant: compiles"; else echo "branch $variant: FAILS"; status=1; fi
done
exit $status
