#!/usr/bin/env bash
# `npm run bench`: W1 on Weft against a bare node:http server and Node-RED,
# measured minutes apart by the same scripts (../shared/bench), then the
# durable-async benchmark on PGlite and PostgreSQL. Loopback only, bounded.
# Prints the ratios the performance targets are stated in (DESIGN.md §9).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${WEFT_BENCH_SHARED:-$ROOT/../shared/bench}
[ -d "$SHARED" ] || { echo "bench: peer scripts not found at $SHARED"; exit 2; }
export RESULTS_DIR=${RESULTS_DIR:-$ROOT/.bench/results-$(date +%Y%m%d-%H%M%S)}
export PEERS_DIR=${PEERS_DIR:-/tmp/weft-peers}
. "$SHARED/common.sh"
WEFT_PORT=${WEFT_BENCH_PORT:-18300}
ONLY=${WEFT_BENCH_ONLY:-all} # all | weft | async | discord

cleanup() { [ -n "${WEFT_PID:-}" ] && stop_tree "$WEFT_PID"; bash "$SHARED/stop-all.sh" >/dev/null 2>&1; }
trap cleanup EXIT

echo "== building Weft"
(cd "$ROOT" && node scripts/build.mjs) || exit 1

if [ "$ONLY" = all ]; then
  echo "== installing peers (wrk, bc, Node-RED)"
  bash "$SHARED/install-peers.sh" || exit 1
  echo "== bare node:http"
  bash "$SHARED/bench-baseline.sh"
  echo "== Node-RED"
  bash "$SHARED/bench-nodered.sh"
fi

# Starts Weft on a fresh data dir with W1 imported under the given saving policy.
start_weft_w1() {
  local policy=$1 data
  data=$(mktemp -d /tmp/weft-bench-XXXXXX)
  local env=(env WEFT_DATA_DIR="$data" PORT="$WEFT_PORT" LOG_LEVEL=warn WEFT_RATE_LIMIT_PER_MINUTE=100000000 WEFT_WEBHOOK_RATE_LIMIT_PER_MINUTE=0)
  # W1 exactly as shipped, with the saving policy under test.
  node -e 'const fs=require("fs");const d=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));d.settings={...d.settings,savingPolicy:process.argv[2]};fs.writeFileSync(process.argv[3],JSON.stringify(d))' \
    "$ROOT/examples/w1.workflow.json" "$policy" "$data/w1.workflow.json"
  "${env[@]}" "$ROOT/apps/server/bin/weft.js" admin create-user --email bench@example.test --username bench --password 'correct-horse-battery-42' >/dev/null || return 1
  "${env[@]}" "$ROOT/apps/server/bin/weft.js" import "$data/w1.workflow.json" --workspace bench --publish >/dev/null || return 1
  local t0; t0=$(date +%s%N)
  "${env[@]}" "$ROOT/apps/server/bin/weft.js" start > "$RESULTS_DIR/weft-$policy.log" 2>&1 &
  WEFT_PID=$! WEFT_DATA=$data
  local st; st=$(wait_w1 "http://127.0.0.1:$WEFT_PORT/hooks/bench/w1" 60) || return 1
  sleep 2
  echo "[weft-$policy] startup_to_first_200=${st}s idle_rss_MB=$(( $(tree_rss_kb $WEFT_PID)/1024 ))" | tee -a "$RESULTS_DIR/startup.txt"
}

if [ "$ONLY" != async ] && [ "$ONLY" != discord ]; then
  for policy in failed all; do
    echo "== Weft W1 (saving: $policy)"
    start_weft_w1 "$policy" || { echo "could not start Weft"; exit 1; }
    bash "$SHARED/load.sh" "weft-w1-$policy" "http://127.0.0.1:$WEFT_PORT/hooks/bench/w1" "$WEFT_PID"
    stop_tree "$WEFT_PID"; WEFT_PID=; rm -rf "$WEFT_DATA"
  done
fi

if [ "$ONLY" = all ] || [ "$ONLY" = discord ]; then
  echo "== Discord interactions (signed, 3-node flow, open loop)"
  node "$ROOT/scripts/bench/discord-interactions.mjs" --root "$ROOT" --results "$RESULTS_DIR" --port "$WEFT_PORT" || echo "Discord interaction benchmark failed"
fi

if [ "$ONLY" = all ] || [ "$ONLY" = async ]; then
  echo "== durable async runs"
  node "$ROOT/scripts/bench/durable-async.mjs" --root "$ROOT" --results "$RESULTS_DIR" --port "$WEFT_PORT" || echo "durable-async benchmark failed"
fi

echo
node "$ROOT/scripts/bench/print-ratios.mjs" "$RESULTS_DIR"
