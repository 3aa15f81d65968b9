#!/usr/bin/env bash
# Pulsar for Java benchmarks: each one reports a ratio against a reference measured in the
# same run (redis-server, raw Netty, Apache Pekko, bare JVM launches). See BENCHMARKS.md.
#
#   pulsar-benchmarks/run.sh                # the actor layer: 1-7 and 12 (= all; 8-11 need more tools and time)
#   pulsar-benchmarks/run.sh NAME...        # some of them, by name or number:
#       1 redis              redis-benchmark ping_mbulk: thread actor mailbox vs redis-server
#       2 socket-ping        sequential ping over the socket vs raw Netty (p50/p99)
#       3 local-pingpong     two thread actors in one JVM vs Apache Pekko (round trips/s); two co-located
#                            actors (Spawn.thread().colocated(), onLoopOf) on one shared loop vs Pekko too
#       4 thread-spawn       thread-actor spawn-to-handshake latency and idle memory
#       5 process-spawn      process-actor spawn latency vs trivial and Netty mains (± AOT cache)
#       6 process-rss        RSS of an idle process actor
#       7 process-messaging  arbiter -> process actor ping (p50/p99) and pipelined msgs/s vs raw Netty
#       8 readiness          EventLoop.addReader echo on an epoll loop: JVM without vs with
#                            --add-opens java.base/sun.nio.ch (child JVMs of their own; NIO loop for reference)
#       9 echo               the echo application, 1 and 2 workers, 10 and 100 connections vs raw Netty echo
#      10 http               helloworld (1 and 2 workers) vs raw Netty HTTP and Vert.x 5, TechEmpower-style
#                            plaintext (plain and 16 pipelined) and json, wrk -t1 -c64/-c256; needs wrk
#                            (apt-get install wrk) and pipeline.lua beside this script
#      11 queue-embedded     the embedded task queue in one JVM, 2 thread workers, tiny tasks (tasks/s)
#                            vs the JDK's 2-thread pool; BENCH_TASKS (200000), BENCH_QUEUE_BATCH (8)
#      11 queue-redis        the Redis task-queue backend: 10,000 add(x, y) tasks, submit -> result, 1 and 2
#                            consumers, tasks/s and redis-server CPU per task (INFO cpu), vs BullMQ 6 (node,
#                            queue/bullmq-bench.mjs; npm ci there), Celery (Debian python3-celery, prefork -c 2,
#                            queue/celery_bench.py) and redis-benchmark XADD (-P 1 and -P 16), all on one
#                            redis-server started here; needs redis-server, redis-benchmark, node/npm, python3-celery
#      11 = queue = queue-embedded + queue-redis;  issue9 = 11
#      12 idle-actors        100,000 idle co-located actors in one JVM: heap, RSS, threads, fds per actor
#                            vs idle thread actors in the same run; spawn rate, idle CPU, ping all, stop all;
#                            BENCH_ACTORS (100000), BENCH_THREAD_ACTORS (200), BENCH_SPAWN_WINDOW (1000), BENCH_IDLE_MS
#       issue2 = 1-4, issue3 = 5-7, issue10 = 1 3 5 6 7 12, all = 1-7 12
#
# Environment (all optional): BENCH_SKIP_BUILD=1 reuses the last build; BENCH_QUICK=1 shrinks
# every size for a smoke run. Sizes: BENCH_REDIS_N (default 1000000, the issue's -n),
# BENCH_REDIS_ROUNDS (3, median reported), BENCH_REDIS_WARMUP (1000000 pipelined pings to the
# actor first); BENCH_WARMUP (20000) and BENCH_CALLS (100000) sequential calls per round,
# BENCH_CHUNKS (10 interleaved slices per round), BENCH_ROUNDS (3; 5 for ping-pong),
# BENCH_MESSAGES (1000000 ping-pong round trips), BENCH_SPAWNS (200 thread spawns),
# BENCH_PROCESS_SPAWNS (20), BENCH_IDLE_MS (10000 ms idle before reading RSS), BENCH_SPAWN_SETUPS (off,aot,spare),
# BENCH_SPARE_PAUSE_MS (3000), BENCH_PIPELINED (1000000) and BENCH_WINDOW
# (1000 outstanding); benchmark 8 takes BENCH_WARMUP, BENCH_CALLS, BENCH_ROUNDS and BENCH_WINDOW
# (64 one-byte messages in flight); benchmark 11: BENCH_QUEUE_TASKS (10000), BENCH_QUEUE_CONSUMERS ("1 2"),
# BENCH_QUEUE_REDIS_BATCH (100 per fetch), BENCH_QUEUE_ROUNDS (3, median), BENCH_XADD_N (200000), BENCH_XADD_CLIENTS (8),
# BENCH_QUEUE_REFS=0 skips BullMQ and Celery; benchmark 10: BENCH_HTTP_SECONDS (10 per wrk run), BENCH_HTTP_WARMUP
# (5 s per test and server), BENCH_HTTP_ROUNDS (2, median), BENCH_HTTP_WORKERS ("1 2"), BENCH_HTTP_JVM_OPTIONS
# (overrides jvm_options for the workers and both references alike), BENCH_HTTP_PULSAR_JVM_OPTIONS (for the
# workers alone: a diagnostic). Only 127.0.0.1 is used; every process started here is stopped by its PID.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pulsar-bench.XXXXXX")
RESULTS="$WORK/results.txt"
: >"$RESULTS"
STARTED_PIDS=()

cleanup() {
    local pid
    for pid in "${STARTED_PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    for pid in "${STARTED_PIDS[@]:-}"; do
        [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

if [ "${BENCH_QUICK:-0}" = 1 ]; then
    export BENCH_REDIS_N=${BENCH_REDIS_N:-100000} BENCH_REDIS_ROUNDS=${BENCH_REDIS_ROUNDS:-1} BENCH_REDIS_WARMUP=${BENCH_REDIS_WARMUP:-200000} BENCH_CALLS=${BENCH_CALLS:-10000} BENCH_WARMUP=${BENCH_WARMUP:-2000}
    export BENCH_ROUNDS=${BENCH_ROUNDS:-1} BENCH_MESSAGES=${BENCH_MESSAGES:-100000} BENCH_SPAWNS=${BENCH_SPAWNS:-20}
    export BENCH_PROCESS_SPAWNS=${BENCH_PROCESS_SPAWNS:-5} BENCH_PIPELINED=${BENCH_PIPELINED:-100000}
    export BENCH_ACTORS=${BENCH_ACTORS:-10000}
    export BENCH_HTTP_SECONDS=${BENCH_HTTP_SECONDS:-3} BENCH_HTTP_WARMUP=${BENCH_HTTP_WARMUP:-2} BENCH_HTTP_ROUNDS=${BENCH_HTTP_ROUNDS:-1}
fi

# ---- the JDK: JAVA_HOME when it is 21+, else the newest /usr/lib/jvm/*/bin/java that is 21+
java_major() {
    "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
find_java() {
    local best="" best_v=0 j v
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        v=$(java_major "$JAVA_HOME/bin/java")
        if [ "${v:-0}" -ge 21 ] 2>/dev/null; then echo "$JAVA_HOME/bin/java"; return; fi
    fi
    for j in /usr/lib/jvm/*/bin/java; do
        [ -x "$j" ] || continue
        v=$(java_major "$j")
        if [ "${v:-0}" -ge 21 ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then best=$j best_v=$v; fi
    done
    [ -n "$best" ] || die "no JDK 21+ found (JAVA_HOME or /usr/lib/jvm/*): install one, e.g. Temurin 25"
    echo "$best"
}
JAVA=$(find_java)
JAVA_FLAGS=(--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)

# ---- build, then snapshot the class path so a rebuild by someone else cannot change it mid-run
build() {
    if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$HERE/target/classpath.txt" ]; then
        say "building pulsar-benchmarks and what it needs (mvn package -DskipTests)"
        (cd "$ROOT" && mvn -q -B package -DskipTests -Dmaven.javadoc.skip=true -pl pulsar-benchmarks -am) || die "build failed"
    fi
    local lib="$HERE/target/bench-lib" entry cp
    rm -rf "$lib" && mkdir -p "$lib"
    # jars only (no classes/ directory): a JDK 25 AOT cache needs a class path of jars
    local jar
    for jar in "$HERE"/target/pulsar-benchmarks-*.jar; do
        case "$jar" in *-javadoc.jar|*-sources.jar) ;; *) cp "$jar" "$lib/pulsar-benchmarks.jar" ;; esac
    done
    cp="$lib/pulsar-benchmarks.jar"
    IFS=":" read -r -a entries <"$HERE/target/classpath.txt" || true
    for entry in "${entries[@]}"; do
        cp "$entry" "$lib/"
        cp="$cp:$lib/$(basename "$entry")"
    done
    CLASSPATH_BENCH=$cp
}

run_java() { # main class, args...; RESULT lines go to the results file, the rest to the terminal
    local main=$1; shift
    local status
    # (a JDK 25 AOT training run re-launches itself with JAVA_TOOL_OPTIONS, whose banner is noise here)
    "$JAVA" "${JAVA_FLAGS[@]}" -cp "$CLASSPATH_BENCH" "pulsar.bench.$main" "$@" \
        2> >(grep -v 'Picked up JAVA_TOOL_OPTIONS' >&2) | tee -a "$RESULTS" | { grep -v '^RESULT|' || true; }
    status=${PIPESTATUS[0]}
    [ "$status" = 0 ] || echo "RESULT|$main|failed (exit $status)|-|-|-|-|-|-|FAILED" >>"$RESULTS"
}

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    die "no free port found"
}

# ---- 1: redis-benchmark against a thread actor's mailbox and against redis-server
bench_redis() {
    command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null && command -v redis-cli >/dev/null \
        || die "benchmark 1 needs redis-server, redis-cli and redis-benchmark (apt-get install redis-server redis-tools)"
    local n=${BENCH_REDIS_N:-1000000} rounds=${BENCH_REDIS_ROUNDS:-3}
    local secret_file="$WORK/secret" secret port redis_port redis_pid actor_pid
    head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secret_file"
    chmod 600 "$secret_file"
    secret=$(cat "$secret_file")

    redis_port=$(free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --requirepass "$secret" \
        --daemonize no --loglevel warning >"$WORK/redis.log" 2>&1 &
    redis_pid=$!
    STARTED_PIDS+=("$redis_pid")

    mkfifo "$WORK/actor-in"
    "$JAVA" "${JAVA_FLAGS[@]}" -cp "$CLASSPATH_BENCH" pulsar.bench.MailboxServerMain "$secret_file" \
        <"$WORK/actor-in" >"$WORK/actor-out" 2>"$WORK/actor-err" &
    actor_pid=$!
    STARTED_PIDS+=("$actor_pid")
    exec 7>"$WORK/actor-in" # held open: the actor JVM exits when it is closed

    for _ in $(seq 1 300); do
        port=$(awk '/^PORT / {print $2}' "$WORK/actor-out" 2>/dev/null || true)
        [ -n "$port" ] && break
        kill -0 "$actor_pid" 2>/dev/null || { cat "$WORK/actor-err" >&2; die "the actor JVM exited"; }
        sleep 0.1
    done
    [ -n "$port" ] || die "the actor JVM did not print its port"
    for _ in $(seq 1 100); do
        [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" -a "$secret" --no-auth-warning ping 2>/dev/null)" = PONG ] && break
        sleep 0.1
    done
    [ "$(redis-cli -h 127.0.0.1 -p "$port" -a "$secret" --no-auth-warning ping)" = PONG ] || die "the actor does not answer PING"
    echo "actor mailbox 127.0.0.1:$port (pid $actor_pid), redis-server 127.0.0.1:$redis_port (pid $redis_pid)" >&2

    # warm the actor JVM's JIT (redis-server needs none): not measured
    echo "warming up the actor JVM (${BENCH_REDIS_WARMUP:-1000000} pipelined + 100000 plain pings)" >&2
    redis-benchmark -h 127.0.0.1 -p "$port" -a "$secret" -t ping_mbulk -c 50 -n "${BENCH_REDIS_WARMUP:-1000000}" -P 16 -q >/dev/null 2>&1 || true
    redis-benchmark -h 127.0.0.1 -p "$port" -a "$secret" -t ping_mbulk -c 50 -n 100000 -P 1 -q >/dev/null 2>&1 || true

    local p r side target rps
    for p in 1 16; do
        local actor_all=() redis_all=()
        for r in $(seq 1 "$rounds"); do
            for side in redis actor; do
                if [ "$side" = redis ]; then target=$redis_port; else target=$port; fi
                rps=$(redis-benchmark -h 127.0.0.1 -p "$target" -a "$secret" -t ping_mbulk -c 50 -n "$n" -P "$p" -q 2>&1 \
                    | tr '\r' '\n' | awk '/requests per second/ {v=$2} END {print v}')
                [ -n "$rps" ] || die "redis-benchmark gave no result against $side"
                echo "  -P $p round $r $side: $rps requests/s" >&2
                if [ "$side" = redis ]; then redis_all+=("$rps"); else actor_all+=("$rps"); fi
            done
        done
        local a b
        a=$(printf '%s\n' "${actor_all[@]}" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}')
        b=$(printf '%s\n' "${redis_all[@]}" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}')
        awk -v a="$a" -v b="$b" -v p="$p" -v n="$n" 'BEGIN {
            r = a / b; printf "RESULT|1 redis-benchmark ping_mbulk -c 50 -n %d|-P %d requests/s|1/s|%.0f|redis-server|%.0f|%.2fx|>= 1.00x|%s\n",
                n, p, a, b, r, (r >= 1.0 ? "MET" : "NOT MET") }' >>"$RESULTS"
    done
    local threads rss
    threads=$(awk '/^Threads:/ {print $2}' "/proc/$actor_pid/status" 2>/dev/null || echo "?")
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$actor_pid/status" 2>/dev/null || echo "?")
    echo "actor JVM after the runs: $threads threads, RSS $rss KiB" >&2
    exec 7>&-
    wait "$actor_pid" 2>/dev/null || true
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
}

# ---- 11: the Redis queue backend vs BullMQ, Celery and XADD on one redis-server
redis_cpu() { # seconds of CPU the redis-server on port $1 has used
    redis-cli -p "$1" info cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user):/ {s += $2} END {printf "%.6f", s}'
}
field() { # the value of key=VALUE in a line
    printf '%s\n' "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'
}
bench_queue() {
    command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null && command -v redis-cli >/dev/null \
        || die "benchmark 11 needs redis-server, redis-cli and redis-benchmark (apt-get install redis-server redis-tools)"
    local n=${BENCH_QUEUE_TASKS:-10000} xn=${BENCH_XADD_N:-200000} xc=${BENCH_XADD_CLIENTS:-8}
    local port pid cpu0 cpu1 rps line w celery_pid
    port=$(free_port)
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --loglevel warning \
        --dir "$WORK" >"$WORK/queue-redis.log" 2>&1 &
    pid=$!
    STARTED_PIDS+=("$pid")
    for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    export BENCH_QUEUE_REDIS_PORT=$port

    # the broker's own limit: XADD of one small field, without and with pipelining
    for pipe in 1 16; do
        redis-cli -p "$port" flushdb >/dev/null
        cpu0=$(redis_cpu "$port")
        rps=$(redis-benchmark -p "$port" -c "$xc" -n "$xn" -P "$pipe" -q XADD bench '*' x 1 2>/dev/null \
            | tr '\r' '\n' | sed -n 's/.* \([0-9.]*\) requests per second.*/\1/p' | tail -1)
        cpu1=$(redis_cpu "$port")
        export "BENCH_REF_XADD_P${pipe}_OPS=$rps"
        export "BENCH_REF_XADD_P${pipe}_US=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$xn" 'BEGIN {printf "%.2f", (b - a) * 1e6 / n}')"
        echo "[bench] xadd -P $pipe -c $xc: $rps ops/s, $(eval echo \$BENCH_REF_XADD_P${pipe}_US) us of redis CPU per XADD" >&2
    done

    if [ "${BENCH_QUEUE_REFS:-1}" = 1 ]; then
        command -v node >/dev/null || die "benchmark 11 needs node and npm for BullMQ (or BENCH_QUEUE_REFS=0)"
        /usr/bin/python3 -c 'import celery' 2>/dev/null || die "benchmark 11 needs Debian's python3-celery (or BENCH_QUEUE_REFS=0)"
        [ -d "$HERE/queue/node_modules/bullmq" ] || (cd "$HERE/queue" && npm ci --no-audit --no-fund >&2) || die "npm ci failed"
        for w in ${BENCH_QUEUE_CONSUMERS:-1 2}; do
            redis-cli -p "$port" flushdb >/dev/null
            line=$(cd "$HERE/queue" && node bullmq-bench.mjs "$port" "$n" "$w" | grep '^bullmq ')
            echo "[bench] $line" >&2
            export "BENCH_REF_BULLMQ_TPS_$w=$(field tasks_per_s "$line")" "BENCH_REF_BULLMQ_US_$w=$(field redis_cpu_us_per_task "$line")"
        done
        redis-cli -p "$port" flushdb >/dev/null
        (cd "$HERE/queue" && BENCH_REDIS_PORT=$port exec /usr/bin/python3 -m celery -A celery_bench worker -P prefork -c 2 \
            --loglevel warning >"$WORK/celery.log" 2>&1) &
        celery_pid=$!
        STARTED_PIDS+=("$celery_pid")
        sleep 3
        line=$(cd "$HERE/queue" && BENCH_REDIS_PORT=$port /usr/bin/python3 celery_bench.py "$n" 2 | grep '^celery ')
        echo "[bench] $line" >&2
        export "BENCH_REF_CELERY_TPS=$(field tasks_per_s "$line")" "BENCH_REF_CELERY_US=$(field redis_cpu_us_per_task "$line")"
        kill "$celery_pid" 2>/dev/null || true
        wait "$celery_pid" 2>/dev/null || true
    fi

    redis-cli -p "$port" flushdb >/dev/null
    run_java QueueBench
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

machine() {
    echo "machine: $(nproc) cores ($(lscpu | awk -F': *' '/Model name/ {print $2; exit}')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, kernel $(uname -r)"
    echo "JDK: $("$JAVA" -version 2>&1 | head -2 | tail -1) ($JAVA)"
    echo "redis: $(redis-server --version 2>/dev/null | awk '{print $3}' | tr -d 'v=')"
}

run_one() {
    case "$1" in
        1|redis) say "1 redis-benchmark: thread actor mailbox vs redis-server"; bench_redis ;;
        2|socket-ping) say "2 sequential ping over the socket vs raw Netty"; run_java SocketPingBench ;;
        3|local-pingpong) say "3 two thread actors, and two co-located actors, in one JVM vs Apache Pekko"; run_java LocalPingPongBench ;;
        4|thread-spawn) say "4 thread-actor spawn latency and idle memory"; run_java ThreadSpawnBench ;;
        5|process-spawn) say "5 process-actor spawn latency vs trivial and Netty mains"; run_java ProcessSpawnBench ;;
        6|process-rss) say "6 RSS of an idle process actor"; run_java ProcessRssBench ;;
        7|process-messaging) say "7 arbiter -> process actor messaging vs raw Netty between two JVMs"; run_java ProcessMessagingBench ;;
        8|readiness) say "8 addReader on an epoll loop: without vs with --add-opens java.base/sun.nio.ch"; run_java ReadinessBench ;;
        9|echo) say "9 echo application (process workers) vs a raw Netty echo server"; run_java EchoBench ;;
        10|http) say "10 HTTP helloworld vs raw Netty and Vert.x (wrk)"
            command -v wrk >/dev/null || die "benchmark 10 needs wrk (apt-get install wrk)"
            BENCH_WRK_PIPELINE="$HERE/pipeline.lua" run_java HttpBench ;;
        queue-embedded) say "11 embedded task queue, 2 thread workers, vs the JDK's thread pool"; run_java QueueEmbeddedBench ;;
        queue-redis) say "11 Redis task queue vs BullMQ, Celery and XADD on one redis-server"; bench_queue ;;
        11|queue|issue9) run_one queue-embedded; run_one queue-redis ;;
        12|idle-actors) say "12 idle co-located actors in one JVM"; run_java IdleActorsBench ;;
        issue2) run_one 1; run_one 2; run_one 3; run_one 4 ;;
        issue3) run_one 5; run_one 6; run_one 7 ;;
        issue10) run_one 1; run_one 3; run_one 5; run_one 6; run_one 7; run_one 12 ;;
        all) run_one issue2; run_one issue3; run_one 12 ;;
        *) die "unknown benchmark '$1' (see the head of $0)" ;;
    esac
}

build
machine >&2
[ $# -gt 0 ] || set -- all
for name in "$@"; do
    run_one "$name"
done

say "results ($(nproc) cores: every benchmark shares them with its reference and its load generator)"
machine
{
    echo "benchmark|metric|unit|pulsar|reference|ref value|ratio|goal|verdict"
    sed -n 's/^RESULT|//p' "$RESULTS"
} | column -t -s '|'
