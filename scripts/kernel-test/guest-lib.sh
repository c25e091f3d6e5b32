# guest-lib.sh - the step and expectation functions that the generated
# scenarios.sh calls inside the QEMU guest (busybox sh).  Every check prints
#   KTEST PASS <name>   or   KTEST FAIL <name> <why>
# An empty check name runs the step without reporting it.

P=/data/local/tmp		# programs and modules, as on the device
SC=""				# current scenario
SCDIR=""
TESTS=""			# pids of running test programs
DAEMONS=""			# pids of the daemon started and not yet stopped
EVER_DAEMONS=""			# every daemon pid of this scenario
LOST_DAEMONS=""			# daemon pids gone before the runner stopped them
SAMPLER=""			# pid of the background RSS sampler
SAMPLE_EVERY=0.2		# seconds between two RSS samples
CLOCK_SKEW=0.05			# seconds printk's clock may differ from /proc/uptime
WAIT_TESTS_TIMEOUT=60

pass() {
	[ -n "$1" ] && echo "KTEST PASS $1"
	return 0
}

fail() {
	[ -n "$1" ] && echo "KTEST FAIL $1 $(echo "$2" | tr '\n' ' ')"
	return 0
}

not() {
	! "$@"
}

# check NAME WHY CONDITION...
check() {
	name=$1
	why=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}

# The kernel log since scenario_begin, without timestamps.
scenario_dmesg() {
	dmesg | sed 's/^\[[^]]*\] //'
}

scenario_begin() {
	SC=$1
	SCDIR=/tmp/sc/$SC
	TESTS=""
	DAEMONS=""
	EVER_DAEMONS=""
	LOST_DAEMONS=""
	mkdir -p "$SCDIR"
	dmesg -c >>/tmp/dmesg.all
	echo "KTEST SCENARIO $SC"
	sampler_start
}

scenario_finish() {
	step_wait_tests ""
	step_stop_daemon
	sampler_stop
	dmesg >"$SCDIR/dmesg.timed"
	scenario_dmesg >"$SCDIR/dmesg"
}

# RSS over time for the timely checks: memsample's output ("T <uptime_ms> ..."
# then "<pid> <uid> <rss_kB> <comm>" per process) every SAMPLE_EVERY seconds.
sampler_start() {
	(while :; do "$P/memsample"; sleep $SAMPLE_EVERY; done) >"$SCDIR/samples" 2>/dev/null &
	SAMPLER=$!
}

sampler_stop() {
	[ -n "$SAMPLER" ] || return 0
	kill "$SAMPLER" 2>/dev/null
	wait "$SAMPLER" 2>/dev/null
	SAMPLER=""
}

# Leave no module behind for the next scenario.
scenario_cleanup() {
	for m in oom set_mm_limit mylimit; do
		grep -q "^$m " /proc/modules && rmmod "$m" 2>/dev/null
	done
	dmesg -c >>/tmp/dmesg.all
	for f in "$SCDIR"/*.out; do
		[ -f "$f" ] && sed "s|^|KTEST LOG $SC/$(basename "$f" .out): |" "$f"
	done
	return 0
}

step_insmod() {
	out=$(insmod "$P/$2.ko" 2>&1)
	rc=$?
	case $3 in
	ok) check "$1" "insmod $2 failed: $out" [ $rc -eq 0 ] ;;
	fail) check "$1" "insmod $2 succeeded" [ $rc -ne 0 ] ;;
	*) [ $rc -eq 0 ] || echo "KTEST INFO insmod $2 failed: $out" ;;
	esac
}

step_rmmod() {
	out=$(rmmod "$2" 2>&1)
	rc=$?
	case $3 in
	ok) check "$1" "rmmod $2 failed: $out" [ $rc -eq 0 ] ;;
	fail) check "$1" "rmmod $2 succeeded" [ $rc -ne 0 ] ;;
	*) [ $rc -eq 0 ] || echo "KTEST INFO rmmod $2 failed: $out" ;;
	esac
}

# step_lsmod NAME MODULE REFCNT|absent USED_BY(sorted, comma separated)
step_lsmod() {
	line=$(grep "^$2 " /proc/modules)
	if [ "$3" = absent ]; then
		check "$1" "$2 still loaded: $line" [ -z "$line" ]
		return
	fi
	refcnt=$(echo "$line" | awk '{ print $3 }')
	used=$(echo "$line" | awk '{ print $4 }' | tr ',' '\n' |
		grep -v '^-*$' | sort | tr '\n' ',' | sed 's/,$//')
	check "$1" "/proc/modules: $line" \
		[ -n "$line" -a "$refcnt" = "$3" -a "$used" = "$4" ]
}

# step_set_limit NAME UID BYTES GRACE syscall|proc ERRNO(0 = success)
step_set_limit() {
	flag=-s
	[ "$5" = proc ] && flag=-p
	out=$("$P/mmlimit" $flag set "$2" "$3" "$4" 2>&1)
	rc=$?
	if [ "$6" = 0 ]; then
		check "$1" "mmlimit $flag set $2 $3 $4: $out" [ $rc -eq 0 ]
	else
		case $out in
		*"(errno=$6)"*) pass "$1" ;;
		*) fail "$1" "want errno=$6, got rc=$rc: $out" ;;
		esac
	fi
}

# step_limits NAME LINE... : /proc/mm_limits holds exactly these lines
step_limits() {
	name=$1
	shift
	: >"$SCDIR/limits.want"
	for l in "$@"; do echo "$l" >>"$SCDIR/limits.want"; done
	cat /proc/mm_limits >"$SCDIR/limits.got" 2>&1
	check "$name" "/proc/mm_limits: $(cat "$SCDIR/limits.got")" \
		cmp -s "$SCDIR/limits.want" "$SCDIR/limits.got"
}

# step_oom_stats NAME CHECKS|- KILLS|-
step_oom_stats() {
	got=$(cat /proc/mm_oom_check 2>&1)
	ok=1
	case $got in
	"checks="*" kills="*" last_check_ms="*) ;;
	*) ok=0 ;;
	esac
	[ "$2" = - ] || case $got in *"checks=$2 "*) ;; *) ok=0 ;; esac
	[ "$3" = - ] || case $got in *" kills=$3 "*) ;; *) ok=0 ;; esac
	check "$1" "/proc/mm_oom_check: $got" [ $ok = 1 ]
}

# step_start_daemon NAME INTERVAL auto|syscall|proc
step_start_daemon() {
	flag=""
	[ "$3" = syscall ] && flag=-s
	[ "$3" = proc ] && flag=-p
	out=$("$P/oom" $flag "$2" 2>&1)
	DAEMONS="$DAEMONS $(pidof oom)"
	EVER_DAEMONS="$EVER_DAEMONS $DAEMONS"
	check "$1" "oom said: $out" [ "$out" = "oom begin to work" ]
}

step_stop_daemon() {
	for pid in $DAEMONS; do
		kill -0 "$pid" 2>/dev/null || LOST_DAEMONS="$LOST_DAEMONS $pid"
	done
	DAEMONS=""
	for pid in $(pidof oom); do kill "$pid"; done
	while [ -n "$(pidof oom)" ]; do sleep 0.1; done
}

# step_run_test ID UID LIMIT GRACE IGNORE_TERM HOLD RATE MEM...
# The test program runs in the background; its output goes to $SCDIR/ID.out.
step_run_test() {
	id=$1
	user=$2
	limit=$3
	args="-g $4 -h $6 -r $7"
	[ "$5" = 1 ] && args="$args -i"
	shift 7
	"$P/test" $args "$user" "$limit" "$@" >"$SCDIR/$id.out" 2>&1 </dev/null &
	TESTS="$TESTS $!"
}

# reset (v2): no test program, no daemon, no module
step_reset() {
	step_wait_tests ""
	step_stop_daemon
	for m in oom set_mm_limit mylimit; do
		grep -q "^$m " /proc/modules && rmmod "$m" 2>/dev/null
	done
	return 0
}

# Wait for every running test program, killing them after the timeout.
step_wait_tests() {
	left=$((WAIT_TESTS_TIMEOUT * 10))
	for pid in $TESTS; do
		while kill -0 "$pid" 2>/dev/null && [ $left -gt 0 ]; do
			sleep 0.1
			left=$((left - 1))
		done
	done
	late=""
	for pid in $TESTS; do
		if kill -0 "$pid" 2>/dev/null; then
			late="$late $pid"
			kill -9 "$pid"
		fi
		wait "$pid" 2>/dev/null
	done
	TESTS=""
	check "$1" "test programs still running after ${WAIT_TESTS_TIMEOUT}s:$late" [ -z "$late" ]
}

# The pid of child IDX of test ID if it ended as END ("signal=15", "exit=0").
child_pid() {
	sed -n "s/^child process end: pid=\([0-9]*\), idx=$2, $3\$/\1/p" "$SCDIR/$1.out"
}

child_end() {
	grep "^child process end: pid=[0-9]*, idx=$2," "$SCDIR/$1.out" || echo "no end line"
}

# The kill report for PID: "A process has been killed:" and then
# "uid=UID, uRSS=N, mm_max=LIMIT, pid=PID, pRSS=N" with uRSS > mm_max >= 0
# and pRSS <= uRSS.
kill_reported() {
	awk -v uid="$2" -v max="$3" -v pid="$1" '
		prev == "A process has been killed:" &&
		$0 ~ ("^uid=" uid ", uRSS=[0-9]+, mm_max=" max ", pid=" pid ", pRSS=[0-9]+$") {
			split($0, f, /[=,]/)	# f[4] uRSS, f[10] pRSS
			if (f[4] + 0 > max + 0 && f[10] + 0 <= f[4] + 0) found = 1
		}
		{ prev = $0 }
		END { exit !found }' "$SCDIR/dmesg"
}

# expect_killed NAME ID IDX UID LIMIT: ended by SIGTERM, reported in dmesg
expect_killed() {
	pid=$(child_pid "$2" "$3" "signal=15")
	if [ -z "$pid" ]; then
		fail "$1" "$2.$3: $(child_end "$2" "$3")"
	else
		check "$1" "$2.$3 pid $pid: no kill report in dmesg" \
			kill_reported "$pid" "$4" "$5"
	fi
}

# expect_escalated NAME ID IDX UID LIMIT: killed, then SIGKILLed
expect_escalated() {
	pid=$(child_pid "$2" "$3" "signal=9")
	if [ -z "$pid" ]; then
		fail "$1" "$2.$3: $(child_end "$2" "$3")"
	elif ! kill_reported "$pid" "$4" "$5"; then
		fail "$1" "$2.$3 pid $pid: no kill report in dmesg"
	else
		check "$1" "$2.$3 pid $pid: no escalation line in dmesg" \
			grep -qx "Escalating to SIGKILL: uid=$4, pid=$pid" "$SCDIR/dmesg"
	fi
}

# expect_survived NAME ID IDX: exited normally with status 0
expect_survived() {
	pid=$(child_pid "$2" "$3" "exit=0")
	check "$1" "$2.$3: $(child_end "$2" "$3")" [ -n "$pid" ]
}

# The kernel timestamp (seconds) of the kill report naming PID.
kill_time() {
	awk -v pid="$1" '
		prev ~ /\] A process has been killed:$/ && $0 ~ (", pid=" pid ", pRSS=") {
			sub(/^\[ */, ""); sub(/\].*/, ""); print; exit
		}
		{ prev = $0 }' "$SCDIR/dmesg.timed"
}

# expect_timely NAME ID IDX UID LIMIT GRACE INTERVAL SLACK: the kill came after
# the uid's RSS crossed LIMIT plus GRACE, and within one INTERVAL (plus SLACK)
# of that. The crossing lies between the last sample at or under LIMIT and the
# next one, as in the simulator and device runners. Samples are timed by
# /proc/uptime and the kill by printk's clock: CLOCK_SKEW allows for the two.
expect_timely() {
	pid=$(sed -n "s/^child process end: pid=\([0-9]*\), idx=$3, .*/\1/p" "$SCDIR/$2.out")
	t=""
	[ -n "$pid" ] && t=$(kill_time "$pid")
	if [ -z "$t" ]; then
		fail "$1" "$2.$3: not killed ($(child_end "$2" "$3"))"
		return
	fi
	verdict=$(awk -v uid="$4" -v limit="$5" -v grace="$6" -v T="$7" \
		-v slack="$8" -v kill="$t" -v every="$SAMPLE_EVERY" -v skew="$CLOCK_SKEW" '
		$1 == "T" { s = $2 / 1000; if (s >= kill) exit; n++; ts[n] = s; rss[n] = 0; next }
		n && $2 == uid { rss[n] += $3 * 1024 }
		END {
			if (!n) { print "FAIL no RSS sample before the kill at " kill; exit }
			i = n
			while (i >= 1 && rss[i] > limit) i--
			lo = i >= 1 ? ts[i] : ts[1] - every
			hi = i < n ? ts[i + 1] : kill
			early = lo + grace
			late = hi + grace + T + slack
			ok = kill >= early - skew && kill <= late + skew
			printf "%s uid %d crossed %d between %.3f and %.3f; killed at %.3f; due in [%.3f, %.3f]\n",
				ok ? "PASS" : "FAIL", uid, limit, lo, hi, kill, early, late
		}' "$SCDIR/samples")
	echo "KTEST INFO $1: ${verdict#* }"
	case $verdict in
	PASS*) pass "$1" ;;
	*) fail "$1" "${verdict#* }" ;;
	esac
}

expect_kills() {
	n=$(grep -cx "A process has been killed:" "$SCDIR/dmesg")
	check "$1" "$n kill reports, want $2" [ "$n" = "$2" ]
}

expect_dmesg() {
	check "$1" "no dmesg line: $2" grep -qxF "$2" "$SCDIR/dmesg"
}

kernel_oom_in() {
	grep -qE "Out of memory|invoked oom-killer|Killed process" "$1"
}

expect_no_kernel_oom() {
	check "$1" "the kernel's own OOM killer ran" not kernel_oom_in "$SCDIR/dmesg"
}

# Checks over the whole boot's kernel log.
final_checks() {
	dmesg -c >>/tmp/dmesg.all
	bad=$(grep -E "BUG|Oops|WARNING|Call Trace" /tmp/dmesg.all | head -3)
	check log.no-oops "$bad" [ -z "$bad" ]
	check log.no-kernel-oom "the kernel's own OOM killer ran" \
		not kernel_oom_in /tmp/dmesg.all
}

# protected (v2): no kill report names uid 0
expect_protected_root() {
	bad=$(grep -A1 -x "A process has been killed:" "$SCDIR/dmesg" | grep "^uid=0, ")
	check "$1" "a process of uid 0 was killed: $bad" [ -z "$bad" ]
}

# protected (v2): the daemon lived until stopped and no kill report names it
expect_protected_daemon() {
	bad=""
	for pid in $EVER_DAEMONS; do
		grep -q "^uid=[0-9]*, uRSS=[0-9]*, mm_max=[0-9]*, pid=$pid, " "$SCDIR/dmesg" && bad="$bad $pid"
	done
	check "$1" "the daemon was killed or gone before it was stopped:$bad$LOST_DAEMONS" \
		[ -z "$bad$LOST_DAEMONS" ]
}

# kill_format (v2): every kill report is followed by the seed's line
expect_kill_format() {
	bad=$(awk 'prev == "A process has been killed:" &&
		$0 !~ /^uid=[0-9]+, uRSS=[0-9]+, mm_max=[0-9]+, pid=[0-9]+, pRSS=[0-9]+$/ { print; exit }
		{ prev = $0 }' "$SCDIR/dmesg")
	check "$1" "kill report not in the seed's format: $bad" [ -z "$bad" ]
}
