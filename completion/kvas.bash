# SPDX-License-Identifier: GPL-2.0
# bash completion for kvas(8): its commands, each command's options, and the
# values those options take. Installed as
# $(datarootdir)/bash-completion/completions/kvas; for one shell:
#   source completion/kvas.bash
#
# A command's options are listed once, in _kvas_options, as its --help
# lists them; tests/integration/test_docs.c checks that --help, the man
# page and this file name the same options.

_kvas_commands="layout translate top trace record report dmap audit serve why"

# Every option of a command ("" for kvas itself), short and long.
_kvas_options()
{
	case $1 in
	"") echo "-h --help -V --version" ;;
	layout) echo "-j --json -s --source -v --verbose -h --help" ;;
	translate) echo "-p --pid -P --phys -w --walk -r --read --page -j --json -v --verbose -h --help" ;;
	top) echo "-i --interval -d --duration -n --intervals -b --by --rows -m --max-processes
		   -C --container -D --detail -j --json -v --verbose -h --help" ;;
	trace) echo "-e --events -p --pid -t --tid --comm --cgroup -C --container -c --count -F --freq
		     --buffer-size -d --duration -o --output --force -j --json --csv -v --verbose -h --help" ;;
	record) echo "-o --output --force -a --all -p --pid -t --tid -C --container --cgroup -e --events
		      -c --count -F --freq -g --call-graph --buffer-size -d --duration -v --verbose
		      -h --help" ;;
	dmap) echo "-i --interval -d --duration -n --intervals --rows -j --json -v --verbose -h --help" ;;
	audit) echo "-d --duration -f --fail-on -u --user -j --json -v --verbose -h --help" ;;
	serve) echo "-l --listen --textfile --containers -i --interval -d --duration -n --intervals
		     --web-config --insecure -v --verbose -h --help" ;;
	report) echo "-i --input --sort --rows -j --json --folded --flamegraph --perfetto --force -v --verbose -h --help" ;;
	why) echo "--no-measure -j --json -v --verbose -h --help" ;;
	esac
}

# The command a word names: kvas takes any unique prefix.
_kvas_command()
{
	local c match=

	for c in $_kvas_commands; do
		[[ $c == "$1"* ]] || continue
		[[ -z $match ]] || return 1
		match=$c
	done
	[[ -n $match ]] && echo "$match"
}

# cur is a comma-separated list: complete its last item from the words given.
_kvas_list()
{
	local cur=$1 head=
	shift
	[[ $cur == *,* ]] && head=${cur%,*},
	COMPREPLY=($(compgen -P "$head" -W "$*" -- "${cur##*,}"))
	compopt -o nospace 2>/dev/null
}

# A cgroup path as --cgroup takes it: relative to the cgroup2 mount, or to
# the v1 memory or cpu mount (kvas(8), CGROUPS AND CONTAINERS).
_kvas_cgroups()
{
	local cur=$1 mnt d IFS=$'\n'

	[[ $cur == /* ]] || cur=/$cur
	for mnt in $(awk '$3 == "cgroup2" || ($3 == "cgroup" && $4 ~ /(^|,)(memory|cpu)(,|$)/) { print $2 }' \
		     /proc/mounts 2>/dev/null); do
		for d in $(compgen -d -- "$mnt$cur"); do
			COMPREPLY+=("${d#"$mnt"}/")
		done
	done
	COMPREPLY=($(printf '%s\n' "${COMPREPLY[@]}" | sort -u))
	[[ $cur == / ]] && COMPREPLY+=(/)
	compopt -o nospace 2>/dev/null
}

# Running containers' short ids (12 hex digits, as docker ps shows): the
# 64-hex-digit names in the cgroup v2 tree, bare or in a runtime's scope.
_kvas_containers()
{
	local mnt ids

	mnt=$(awk '$(NF-2) == "cgroup2" { print $5; exit }' /proc/self/mountinfo 2>/dev/null)
	[[ -n $mnt ]] || return 0
	ids=$(find "$mnt" -maxdepth 6 -type d 2>/dev/null |
	      sed -n 's|.*[/-]\([0-9a-f]\{12\}\)[0-9a-f]\{52\}\(\.scope\)\{0,1\}$|\1|p' | sort -u)
	COMPREPLY=($(compgen -W "$ids" -- "$1"))
}

# The values of option opt of command cmd; false when opt takes none.
_kvas_values()
{
	local cmd=$1 opt=$2 cur=$3 IFS=$' \t\n'

	case $cmd:$opt in
	layout:-s | layout:--source)
		_kvas_list "$cur" ksym tracepoint vmcoreinfo pagewalk estimate default ;;
	trace:-e | trace:--events | record:-e | record:--events)
		_kvas_list "$cur" fault-user fault-kernel tlb-flush ;;
	top:-b | top:--by)
		COMPREPLY=($(compgen -W "pid comm cgroup container" -- "$cur")) ;;
	audit:-f | audit:--fail-on)
		COMPREPLY=($(compgen -W "warn fail" -- "$cur")) ;;
	audit:-u | audit:--user)
		COMPREPLY=($(compgen -u -- "$cur")) ;;
	translate:-p | translate:--pid | trace:-p | trace:--pid | record:-p | record:--pid)
		COMPREPLY=($(compgen -W "$(cd /proc && printf '%s ' [0-9]*)" -- "$cur")) ;;
	trace:-t | trace:--tid | record:-t | record:--tid)
		COMPREPLY=($(compgen -W "$(cd /proc && printf '%s ' [0-9]*/task/[0-9]* |
					 sed 's|[0-9]*/task/||g')" -- "$cur")) ;;
	trace:--comm)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$(sort -u /proc/[0-9]*/comm 2>/dev/null)" -- "$cur")) ;;
	trace:--cgroup | record:--cgroup)
		_kvas_cgroups "$cur" ;;
	serve:-l | serve:--listen)
		COMPREPLY=($(compgen -W "127.0.0.1:9633 [::1]:9633 0.0.0.0:9633" -- "$cur")) ;;
	serve:--textfile)
		COMPREPLY=($(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null ;;
	top:-C | top:--container | trace:-C | trace:--container | record:-C | record:--container)
		_kvas_containers "$cur" ;;
	trace:-o | trace:--output | record:-o | record:--output | report:-i | report:--input | \
	serve:--web-config)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null ;;
	report:--sort)
		_kvas_list "$cur" pid tid comm container region page-size class reason sym kind ;;
	# Numbers and durations: nothing to offer, but no option either.
	*:-i | *:--interval | *:-d | *:--duration | *:-n | *:--intervals | *:--rows | top:-m | \
	top:--max-processes | top:-D | top:--detail | translate:-r | translate:--read | \
	trace:-c | trace:--count | trace:-F | trace:--freq | trace:--buffer-size | serve:--containers | \
	record:-c | record:--count | record:-F | record:--freq | record:--buffer-size)
		;;
	*)
		return 1 ;;
	esac
	return 0
}

_kvas()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd

	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$(_kvas_options "")" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_kvas_commands" -- "$cur"))
		fi
		return
	fi
	cmd=$(_kvas_command "${COMP_WORDS[1]}") || return
	# record -- COMMAND ARGS...: the command's own words
	if [[ $cmd == record ]]; then
		local i
		for ((i = 2; i < COMP_CWORD; i++)); do
			[[ ${COMP_WORDS[i]} == -- ]] || continue
			if ((i == COMP_CWORD - 1)); then
				COMPREPLY=($(compgen -c -- "$cur"))
			else
				COMPREPLY=($(compgen -f -- "$cur"))
				compopt -o filenames 2>/dev/null
			fi
			return
		done
	fi
	((COMP_CWORD >= 2)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --opt=value: bash splits it at '=' (COMP_WORDBREAKS).
	if [[ $cur == = ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD >= 3)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	[[ -n $prev ]] && _kvas_values "$cmd" "$prev" "$cur" && return
	[[ $cur == -* ]] && COMPREPLY=($(compgen -W "$(_kvas_options "$cmd")" -- "$cur"))
}

complete -F _kvas kvas
