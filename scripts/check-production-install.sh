#!/usr/bin/env bash
# What the Dockerfile's two stages do, without Docker (no daemon here): in a temporary folder, the build context as
# `docker build` would send it (the repository minus .dockerignore), `npm ci` with native modules built from source,
# `npm run build`; then a clean folder holding only what the runtime stage copies (package files, dist, dags, schema)
# with `npm ci --omit=dev`; there `node dist/cli/main.js standalone --port 0` on a temporary WINDSOCK_HOME must answer
# /api/v2/monitor/health healthy. Needs the npm registry; better-sqlite3 compiles (a few minutes). Not part of
# `npm test`. Usage: scripts/check-production-install.sh   (KEEP=1 keeps the temporary folder)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/windsock-prod-check.XXXXXX")"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [[ "${KEEP:-}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

step "build context: $repo minus .dockerignore -> $work/build"
# .dockerignore patterns are matched against the whole path from the context root (Go's filepath.Match, `**` for any
# depth, `!` to re-include); a directory that matches is left out with everything below it.
node - "$repo" "$work/build" <<'EOF'
const fs = require('fs');
const path = require('path');
const [src, dst] = process.argv.slice(2);
const rules = fs.readFileSync(path.join(src, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const negate = l.startsWith('!');
    const glob = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
    const re = glob.split('**').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('.*');
    return { negate, re: new RegExp(`^${re}$`) };
  });
const ignored = (rel) => rules.reduce((out, r) => (r.re.test(rel) ? !r.negate : out), false);
let files = 0;
(function walk(rel) {
  for (const e of fs.readdirSync(path.join(src, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (ignored(r)) continue;
    const from = path.join(src, r);
    const to = path.join(dst, r);
    if (e.isDirectory()) walk(r);
    else if (e.isFile() || e.isSymbolicLink()) {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
      files++;
    }
  }
})('');
console.log(`${files} files copied`);
EOF

step "build stage: npm ci (native modules from source), npm run build"
cd "$work/build"
export npm_config_build_from_source=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# As the Dockerfile's npm_config_nodedir: compile against the running Node's own headers when it has them.
prefix="$(dirname "$(dirname "$(node -p process.execPath)")")"
[[ -f "$prefix/include/node/node.h" ]] && export npm_config_nodedir="$prefix"
echo "node $(node --version) (the image uses NODE_IMAGE of the Dockerfile), headers from ${npm_config_nodedir:-a node-gyp download}"
npm ci --ignore-scripts --no-audit --no-fund
npm rebuild
npm run build

step "runtime stage: package files, dist, dags and schema in a clean folder; npm ci --omit=dev"
mkdir -p "$work/app"
cp package.json package-lock.json "$work/app/"
cp -R dist dags schema "$work/app/"
cd "$work/app"
NODE_ENV=production npm ci --omit=dev --ignore-scripts --no-audit --no-fund
npm rebuild
if [[ -d node_modules/typescript || -d node_modules/vitest ]]; then echo "FAIL: a devDependency is in the production install"; exit 1; fi

step "dag standalone on a fresh WINDSOCK_HOME, until /api/v2/monitor/health answers healthy"
export NODE_ENV=production WINDSOCK_HOME="$work/home" WINDSOCK_DAGS_FOLDER="$work/app/dags" WINDSOCK_ADMIN_PASSWORD=check-production-install
node dist/cli/main.js standalone --host 127.0.0.1 --port 0 >"$work/standalone.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 240); do
  if ! kill -0 "$pid" 2>/dev/null; then echo "FAIL: dag standalone exited:"; cat "$work/standalone.log"; exit 1; fi
  url="$(grep -oE 'windsock web server on http://[^ ]+' "$work/standalone.log" | head -1 | sed 's/.* on //')" || true
  [[ -n "$url" ]] && break
  sleep 0.5
done
[[ -n "$url" ]] || { echo "FAIL: no URL printed in 120 s:"; cat "$work/standalone.log"; exit 1; }
echo "listening on $url"
healthy=""
for _ in $(seq 1 120); do
  health="$(node -e "fetch(process.argv[1]).then(async (r) => console.log(r.status, await r.text()), (e) => console.log('error', e.message))" "$url/api/v2/monitor/health")"
  if [[ "$health" =~ ^200\  ]] && node -e "const b = JSON.parse(process.argv[1]); process.exit(b.metadatabase.status === 'healthy' && b.scheduler.status === 'healthy' ? 0 : 1)" "${health#200 }"; then
    healthy="$health"
    break
  fi
  sleep 0.5
done
[[ -n "$healthy" ]] || { echo "FAIL: health never healthy; last answer: $health"; cat "$work/standalone.log"; exit 1; }
echo "health: ${healthy#200 }"
login="$(node -e "fetch(process.argv[1] + '/auth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'check-production-install' }) }).then((r) => console.log(r.status))" "$url")"
[[ "$login" == 201 ]] || { echo "FAIL: POST /auth/token answered $login"; exit 1; }
unauth="$(node -e "fetch(process.argv[1] + '/api/v2/dags').then((r) => console.log(r.status))" "$url")"
[[ "$unauth" == 401 ]] || { echo "FAIL: GET /api/v2/dags without credentials answered $unauth"; exit 1; }
echo "auth on: /api/v2/dags without credentials 401, admin login 201"

step "SIGTERM stops it cleanly"
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=""
[[ "$code" == 0 ]] || { echo "FAIL: dag standalone exited $code on SIGTERM"; tail -20 "$work/standalone.log"; exit 1; }
echo "OK: the production install starts dag standalone, answers healthy with auth on, and stops on SIGTERM"
