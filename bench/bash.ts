// Bash tasks against GNU make (issue 12): `dag run` of a layered DAG of `bash_command: "true"` tasks, parallelism 4,
// against `make -j4` running the same graph with each recipe `bash -c true`, in the same run. Layers of 50 where
// every task depends on the whole previous layer: 6 layers (300 tasks) and 10 layers (500 tasks).
// BENCH_BASH_RUNS sets the runs per case (median reported; default 5); BENCH_CLI another build of the CLI.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type BenchResult } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// BENCH_CLI: another build's dist/cli/main.js (a copy of an older dist/ inside the repository), to compare builds.
const CLI = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : path.join(ROOT, 'dist/cli/main.js');
const PARALLELISM = 4;
const WIDTH = 50;

function wallMs(cmd: string, args: string[], env?: NodeJS.ProcessEnv): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function layers(n: number): { id: string; deps: string[] }[] {
  const tasks: { id: string; deps: string[] }[] = [];
  for (let l = 0; l < n; l++) for (let i = 0; i < WIDTH; i++) tasks.push({ id: `l${l}_t${i}`, deps: l ? Array.from({ length: WIDTH }, (_, j) => `l${l - 1}_t${j}`) : [] });
  return tasks;
}

async function bashVsMake(nLayers: number, runs: number): Promise<BenchResult> {
  const graph = layers(nLayers);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'windsock-bench-bash-'));
  const dags = path.join(dir, 'dags');
  fs.mkdirSync(dags);
  const env = { ...process.env, WINDSOCK_HOME: path.join(dir, 'home'), WINDSOCK_DAGS_FOLDER: dags, WINDSOCK_PARALLELISM: String(PARALLELISM) };
  const yaml = ['layers:', '  schedule: null', `  max_active_tasks: ${PARALLELISM}`, '  default_args: {start_date: 2024-01-01}', '  tasks:'];
  for (const t of graph) yaml.push(`    - {task_id: ${t.id}, operator: bash, bash_command: "true"${t.deps.length ? `, dependencies: [${t.deps.join(', ')}]` : ''}}`);
  fs.writeFileSync(path.join(dags, 'layers.yaml'), yaml.join('\n') + '\n');
  const last = graph.filter((t) => t.id.startsWith(`l${nLayers - 1}_`)).map((t) => t.id);
  const makefile = ['.PHONY: all ' + graph.map((t) => t.id).join(' '), `all: ${last.join(' ')}`];
  for (const t of graph) makefile.push(`${t.id}: ${t.deps.join(' ')}`, '\tbash -c true');
  fs.writeFileSync(path.join(dir, 'Makefile'), makefile.join('\n') + '\n');
  const ours: number[] = [];
  const make: number[] = [];
  // Interleaved, so that a burst of load from elsewhere hits both sides alike.
  for (let i = 0; i < runs; i++) {
    make.push(wallMs('make', ['-s', `-j${PARALLELISM}`, '-C', dir]));
    const date = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
    ours.push(wallMs(process.execPath, [CLI, 'run', 'layers', '--date', date], env));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const v = median(ours);
  const b = median(make);
  return {
    name: `${graph.length} bash tasks, ${nLayers} layers of ${WIDTH} (dag run, median of ${runs})`,
    value: v,
    unit: 'ms',
    baseline: b,
    baselineName: `make -j${PARALLELISM} (bash -c true)`,
    ratio: v / b,
    target: '<= 1.5x make',
  };
}

export async function benchBash(): Promise<BenchResult[]> {
  const runs = Number(process.env.BENCH_BASH_RUNS ?? 5);
  return [await bashVsMake(6, runs), await bashVsMake(10, runs)];
}
