# SPDX-License-Identifier: GPL-2.0
# Shell functions for tests/vm/guest-commands (busybox sh), sourced before
# each command. Nothing here sleeps for a fixed time to let something
# happen: every wait polls for the condition it needs, with a bound, and
# says on stderr what it did not see (which fails the block).

# Seconds since boot.
uptime_s() {
	read -r up _ < /proc/uptime
	echo "${up%.*}"
}

# Is process PID alive (not gone, not a zombie)?
alive() {
	[ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null
}

dead() {
	! alive "$1"
}

# wait_for SECONDS WHAT PID COMMAND...: run COMMAND every 0.1 s until it
# succeeds. Fails, with one line on stderr, after SECONDS, or as soon as
# process PID (- for none) has ended without COMMAND succeeding.
wait_for() {
	_limit=$(($(uptime_s) + $1)) _secs=$1 _what=$2 _pid=$3
	shift 3
	until "$@" > /dev/null 2>&1; do
		if [ "$_pid" != - ] && dead "$_pid"; then
			"$@" > /dev/null 2>&1 && return 0
			echo "wait_for: $_what: process $_pid ended first" >&2
			return 1
		fi
		if [ "$(uptime_s)" -ge "$_limit" ]; then
			echo "wait_for: $_what: not seen within $_secs s" >&2
			return 1
		fi
		sleep 0.1
	done
}

# stop PID: SIGINT, then wait (30 s at most, SIGKILL after) for it to end.
# Returns its exit status.
stop() {
	kill -INT "$1" 2> /dev/null
	wait_for 30 "process $1 to end on SIGINT" - dead "$1" || kill -KILL "$1" 2> /dev/null
	wait "$1"
}

# stop_term PID: as stop, with SIGTERM. A background job of this sh starts
# with SIGINT ignored, until it installs its own handler: a SIGINT sent
# before then is lost, and the job waits out its own bound.
stop_term() {
	kill -TERM "$1" 2> /dev/null
	wait_for 30 "process $1 to end on SIGTERM" - dead "$1" || kill -KILL "$1" 2> /dev/null
	wait "$1"
}

# Does FILE hold at least N complete lines?
has_lines() {
	[ -e "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ]
}

# Is kvas trace, writing to FILE with --comm truth, attached? A probe of one
# page shows in FILE once it is.
trace_sees_truth() {
	truth --touch 1 > /dev/null && grep -q '"fault-user"' "$1"
}

# kvas top while truth makes a known number of faults and TLB flushes: top
# must count them under truth's pid. Prints top's JSON lines, then truth's.
top_workload() {
	: > /tmp/top.jsonl
	kvas top --json -i 1 --rows 50 > /tmp/top.jsonl 2> /tmp/top.err &
	k=$!
	if wait_for 60 "kvas top's first interval" $k has_lines /tmp/top.jsonl 1; then
		truth --touch 256 32 > /tmp/work.json
		wait_for 60 "kvas top to count truth's 256 faults and 32 flushes under its pid" $k \
			truth --check-top /tmp/top.jsonl /tmp/work.json
	fi
	stop $k || echo "kvas top exited $?" >&2
	cat /tmp/top.jsonl /tmp/work.json 2> /dev/null
	cat /tmp/top.err >&2
}

# kvas trace while truth writes 64 fresh pages: truth --check-trace says
# whether trace saw each write fault and the frame of each page.
trace_workload() {
	: > /tmp/trace.jsonl
	kvas trace --json -e fault-user --comm truth > /tmp/trace.jsonl 2> /tmp/trace.err &
	k=$!
	if wait_for 60 "kvas trace to see a probe's fault" $k trace_sees_truth /tmp/trace.jsonl; then
		truth --touch 64 > /tmp/touch.json
		wait_for 60 "kvas trace to show truth's 64 faults, translated" $k \
			truth --check-trace /tmp/trace.jsonl /tmp/touch.json
	fi
	stop $k || echo "kvas trace exited $?" >&2
	truth --check-trace /tmp/trace.jsonl /tmp/touch.json
}

# kvas dmap -i while truth takes 512 pages out of the direct map, and kvas
# translate --read of the first one faults there: dmap must show that fault
# (and, before it, the 512 pages leaving). truth holds the pages until then.
# Prints truth's lines, then dmap's.
dmap_live() {
	: > /tmp/dmap.jsonl
	: > /tmp/secret.jsonl
	kvas dmap -i 1 --json > /tmp/dmap.jsonl 2> /tmp/dmap.err &
	k=$!
	if wait_for 60 "kvas dmap -i's first interval" $k grep -q '"type": *"interval"' /tmp/dmap.jsonl; then
		truth --secret 512 > /tmp/secret.jsonl &
		t=$!
		wait_for 60 "truth --secret's first page" $t grep -q -e secret_pa -e error /tmp/secret.jsonl
		pa=$(sed -n 's/.*"secret_pa": "\(0x[0-9a-f]*\)".*/\1/p' /tmp/secret.jsonl)
		if [ -n "$pa" ]; then
			kvas translate --phys --read 8 "$pa" > /tmp/read.out 2>&1
			wait_for 60 "kvas dmap -i to show kvas's kernel fault at the alias of $pa" $k \
				truth --check-dmap-read /tmp/dmap.jsonl /tmp/secret.jsonl /tmp/truth.json
		fi
		stop $t
	fi
	stop $k || echo "kvas dmap exited $?" >&2
	cat /tmp/secret.jsonl /tmp/dmap.jsonl
	cat /tmp/dmap.err >&2
}

# Has kvas serve's textfile FILE counted a direct-map change by a function?
serve_counted() {
	grep -q '^kvas_direct_map_changes_total{function="[a-z_]*"} [1-9]' "$1"
}

# kvas serve --textfile while the direct map changes: truth --secret takes
# 64 pages out of it where memfd_secret is on; elsewhere kvas dmap -i
# attaches its fentry programs, whose trampolines the kernel makes read-only
# (set_memory_ro, a page-attribute change) on 6.1. Prints the trigger, the
# textfile's direct-map change lines once serve counted one (or after 60 s),
# and serve's exit status on SIGTERM.
serve_dmap() {
	d=/tmp/serve-dmap
	rm -rf "$d"
	mkdir -p "$d"
	kvas serve --textfile "$d" -i 1 2> /tmp/serve-dmap.err &
	k=$!
	if wait_for 60 "kvas serve's first textfile" $k grep -q '^kvas_direct_map_change_attribution' \
		"$d/kvas.prom"; then
		if [ "$(cat /sys/module/secretmem/parameters/enable 2> /dev/null)" = Y ]; then
			echo "trigger memfd_secret"
			truth --secret 64 > /tmp/serve-secret.jsonl &
		else
			echo "trigger kvas-dmap-attach"
			kvas dmap -i 1 --json > /dev/null 2>&1 &
		fi
		t=$!
		wait_for 60 "kvas serve to count a direct-map change by a function" $k \
			serve_counted "$d/kvas.prom"
		# serve may have counted a change at once: the trigger may not have its handler yet
		stop_term $t > /dev/null
	fi
	kill -TERM $k
	wait_for 30 "kvas serve to end on SIGTERM" - dead $k || kill -KILL $k
	wait $k
	echo "serve exit $?"
	grep '^kvas_direct_map_change' "$d/kvas.prom"
	cat /tmp/serve-dmap.err >&2
}

# One direct-map change for kvas record to see: truth --secret takes 8 pages
# out of the direct map where memfd_secret is on (and gives them back when
# it ends); elsewhere kvas dmap -i attaches its fentry programs, whose
# trampolines the kernel makes read-only (a page-attribute change).
dmap_trigger() {
	: > /tmp/rec-trigger.out
	if [ "$(cat /sys/module/secretmem/parameters/enable 2> /dev/null)" = Y ]; then
		truth --secret 8 > /tmp/rec-trigger.out &
		t=$!
		wait_for 60 "truth --secret's pages" $t grep -q -e secret_pa -e error /tmp/rec-trigger.out
	else
		kvas dmap -i 1 --json > /tmp/rec-trigger.out 2>&1 &
		t=$!
		wait_for 60 "kvas dmap -i's first interval" $t grep -q '"type": *"interval"' \
			/tmp/rec-trigger.out
	fi
	stop_term $t > /dev/null
}

# kvas record -a -d 2 while the direct map changes again and again (the
# triggers run while record does: its attach takes a while under TCG),
# then kvas report --json of the file. Prints "# " lines (the triggers,
# record's exit status and its stderr), then the report.
record_dmap() {
	rm -f /tmp/rec-dmap.data
	kvas record -a -d 2 -o /tmp/rec-dmap.data --force 2> /tmp/rec-dmap.err &
	k=$!
	n=0
	while alive $k; do
		dmap_trigger
		n=$((n + 1))
	done
	wait $k
	echo "# record exit $? after $n triggers"
	sed 's/^/# /' /tmp/rec-dmap.err
	kvas report -i /tmp/rec-dmap.data --json
}

# Shootdown IPIs received so far, all CPUs: the TLB line of /proc/interrupts.
tlb_irqs() {
	awk '$1 == "TLB:" { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i } END { print n + 0 }' \
		/proc/interrupts
}

# kvas top while tests/vm/shootdown forces remote shootdowns from CPU 0 to
# CPU 1 (two-CPU guests only): prints top's JSON lines, then the storm's
# {"pid", "rounds"} and the shootdown IPIs the kernel counted meanwhile;
# the host checks the sends and the CPUs they interrupt against those.
shootdown_workload() {
	if [ "$(grep -c '^processor' /proc/cpuinfo)" -lt 2 ]; then
		echo '{"cpus": 1}'
		return 0
	fi
	: > /tmp/sd.jsonl
	# --detail 100: the user-fault program stays attached. Attached and
	# detached each second (top's default window), it rewrites kernel text
	# (jump labels) each time; under TCG the storm then got 40 to 74 IPIs
	# instead of hundreds (its spinner off CPU 1), too few to check the
	# sends against. The truth check above runs top's default window.
	kvas top --json -i 1 --rows 50 --detail 100 > /tmp/sd.jsonl 2> /tmp/sd.err &
	k=$!
	if wait_for 60 "kvas top's first interval" $k has_lines /tmp/sd.jsonl 1; then
		before=$(tlb_irqs)
		shootdown 2000 > /tmp/sd.json
		echo "{\"tlb_irqs\": $(($(tlb_irqs) - before))}" >> /tmp/sd.json
		# the interval that holds the storm's end, then one more
		n=$(wc -l < /tmp/sd.jsonl)
		wait_for 60 "kvas top's interval after the storm" $k has_lines /tmp/sd.jsonl $((n + 1))
	fi
	stop $k || echo "kvas top exited $?" >&2
	cat /tmp/sd.jsonl /tmp/sd.json 2> /dev/null
	cat /tmp/sd.err >&2
}
