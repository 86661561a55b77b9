# shellcheck shell=bash disable=SC2154  # $repo, $build, $work, $artifacts come from the caller
# Shared by scripts/fuzz-smoke and bench/fuzz-campaign (sourced, not run).
# Needs: $repo, $build, $work (scratch), $artifacts. docs/fuzzing.md.

# Every target name (tests/fuzz/fuzz_<name>.c).
fuzz_all_targets() {
	local src t
	for src in "$repo"/tests/fuzz/fuzz_*.c; do
		t=$(basename "$src" .c)
		echo "${t#fuzz_}"
	done
}

# fuzz_dict TARGET: the -dict= option for the target's input format, if any.
fuzz_dict() {
	local t=$1 d="$repo/tests/fuzz/dict/$1.dict"
	if [ ! -f "$d" ]; then
		case $t in
		gate_junit) d="$repo/tests/fuzz/dict/xml.dict" ;;
		sbom_yaml | sbom_yaml_mini) d="$repo/tests/fuzz/dict/yaml.dict" ;;
		json | sarif | gate_* | sbom_vcpkg | sbom_osv | sbom_vex | analyze_pack | analyze_compdb)
			d="$repo/tests/fuzz/dict/json.dict" ;;
		esac
	fi
	if [ -f "$d" ]; then echo "-dict=$d"; fi
}

# fuzz_signature LOG: what broke, and the first stack frame in our code.
fuzz_signature() {
	local what where
	what=$(grep -m1 -oE 'fuzz property failed on [^:]*: .* \(last error' "$1" |
		sed 's/^fuzz property failed on [^:]*: //; s/ (last error$//' || true)
	[ -z "$what" ] && what=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer): [a-z -]+' "$1" || true)
	[ -z "$what" ] && what=$(grep -m1 -oE 'runtime error: .*' "$1" | cut -c1-80 || true)
	# a target that did not start (bad option or dictionary): its last words
	[ -z "$what" ] && what=$(grep -v '^[[:space:]]*$' "$1" | tail -1 | cut -c1-80 || true)
	where=$(grep -E '^ *#[0-9]+ 0x[0-9a-f]+ in ' "$1" |
		grep -oE ' in [A-Za-z_0-9]+ /[^ ]*/(lib|sbom|sdl-gate|analyzers|tests/fuzz)/[a-z_0-9]+\.[ch]:[0-9]+' |
		grep -v -m1 -E '/lib/(alloc|buf)\.c:' |
		sed -E 's|^ in ([^ ]+) .*/([a-z-]+(/fuzz)?/[a-z_0-9]+\.[ch]:[0-9]+)$|\1 \2|' || true)
	echo "${what:-unknown} @ ${where:-?}"
}

# fuzz_run TARGET SECONDS CORPUS_DIR
# Fuzz for SECONDS on CORPUS_DIR (grown in place). A crash stops libFuzzer;
# the target is restarted for the rest of its time, so one shallow bug does
# not end the search. Crashes are told apart by signature; one that matches
# an input under tests/fuzz/open/<target>/ (reported, not fixed yet) is
# "known". After the same signature three times the target stops early.
# Writes $work/<t>.status:
#   "target status seconds runs execs cov ft corpus new_crashes known_crashes"
# with status ok | crashed (a new crash) | known (only known crashes) |
# missing; and $work/<t>.crashes: one line per distinct crash,
# "signature<US>tracker<US>artifact" (tracker empty for a new crash).
fuzz_run() {
	local t=$1 seconds=$2 dir=$3 exe="$build/tests/fuzz/fuzz_$1" left=$2
	local runs=0 execs=0 cov=0 ft=0 corp=0 n c line log sig crashed start now k tracker
	local nnew=0 nknown=0 status=ok
	local -A seen=()
	local known=()
	mkdir -p "$dir" "$artifacts/$t"
	: >"$work/$t.crashes"
	if [ ! -x "$exe" ]; then
		echo "$t missing 0 0 0 0 0 0 0 0" >"$work/$t.status"
		return
	fi
	if [ -d "$repo/tests/fuzz/corpus/$t" ]; then
		cp -n "$repo/tests/fuzz/corpus/$t"/* "$dir"/ 2>/dev/null || true
	fi
	for f in "$repo/tests/fuzz/open/$t"/*; do
		[ -f "$f" ] || continue
		"$exe" -runs=1 "$f" >"$work/$t.open.log" 2>&1 || true
		known+=("$(fuzz_signature "$work/$t.open.log")"$'\x1f'"tests/fuzz/open/$t/$(basename "$f")")
	done
	start=$(date +%s)
	while [ "$left" -gt 0 ]; do
		runs=$((runs + 1))
		log="$work/$t.$runs.log"
		crashed=0
		# shellcheck disable=SC2046
		"$exe" -max_total_time="$left" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix="$artifacts/$t/" $(fuzz_dict "$t") \
			"$dir" >"$log" 2>&1 || crashed=1
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		[ -z "$n" ] && n=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
		execs=$((execs + ${n:-0}))
		line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
		c=$(echo "$line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
		[ "${c:-0}" -gt "$cov" ] && cov=$c
		c=$(echo "$line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
		[ "${c:-0}" -gt "$ft" ] && ft=$c
		c=$(echo "$line" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
		[ -n "$c" ] && corp=$c
		now=$(date +%s)
		left=$((seconds - (now - start)))
		[ "$crashed" = 0 ] && break
		sig=$(fuzz_signature "$log")
		seen[$sig]=$((${seen[$sig]:-0} + 1))
		if [ "${seen[$sig]}" = 1 ]; then
			tracker=""
			for k in "${known[@]}"; do
				[ "${k%%$'\x1f'*}" = "$sig" ] && tracker=${k#*$'\x1f'}
			done
			if [ -n "$tracker" ]; then
				nknown=$((nknown + 1))
			else
				nnew=$((nnew + 1))
				cp "$log" "$artifacts/$t/crash-$(echo "$sig" | sha1sum | cut -c1-12).log"
			fi
			printf '%s\x1f%s\x1f%s\n' "$sig" "$tracker" \
				"$(grep -oE 'Test unit written to .*' "$log" | sed 's/Test unit written to //')" \
				>>"$work/$t.crashes"
		fi
		[ "${seen[$sig]}" -ge 3 ] && break
	done
	if [ "$nnew" -gt 0 ]; then
		status=crashed
	elif [ "$nknown" -gt 0 ]; then
		status=known
	fi
	echo "$t $status $((seconds - (left > 0 ? left : 0))) $runs $execs $cov $ft $corp $nnew $nknown" \
		>"$work/$t.status"
}

# fuzz_print_crashes TARGET: the distinct crashes of a run, indented.
fuzz_print_crashes() {
	local sig tracker art
	[ -s "$work/$1.crashes" ] || return 0
	while IFS=$'\x1f' read -r sig tracker art; do
		if [ -n "$tracker" ]; then
			echo "    known crash: $sig (open finding: $tracker)"
		else
			echo "    NEW crash: $sig"
			[ -n "$art" ] && echo "      input: $art"
			echo "      reproduce: $build/tests/fuzz/fuzz_$1 <input>; minimise it" \
				"(-minimize_crash=1) into tests/fuzz/regressions/$1/ once fixed," \
				"tests/fuzz/open/$1/ until then (docs/fuzzing.md)"
		fi
	done <"$work/$1.crashes"
}
