// DAG loading: 1,000 DAG files of 10 bash tasks each, loaded and validated by loadDagFolder (target < 1 s), against
// a baseline run on the same files in the same process: reading them, yaml.parse and JSON.stringify (no positions,
// no validation). Median of 5 runs each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadDagFolder } from '../engine/dag/index.js';
import { builtinOperators } from '../engine/operators/builtin.js';
import { OperatorRegistry } from '../engine/operators/registry.js';
import { median, type BenchResult } from './stats.js';

const FILES = 1000;
const TASKS = 10;
const RUNS = 5;

function dagText(i: number): string {
  const lines = [
    `# generated DAG ${i}`,
    `bench_dag_${i}:`,
    `  description: benchmark DAG number ${i}`,
    `  schedule: "${i % 60} ${i % 24} * * *"`,
    `  timezone: Europe/Paris`,
    `  catchup: false`,
    `  tags: [bench, generated]`,
    `  default_args:`,
    `    owner: bench`,
    `    start_date: 2024-01-01`,
    `    retries: 2`,
    `    retry_delay: {__type__: datetime.timedelta, minutes: 5}`,
    `  tasks:`,
  ];
  for (let t = 0; t < TASKS; t++) {
    lines.push(`    - task_id: task_${t}`, `      operator: BashOperator`, `      bash_command: "echo {{ ds }} ${i}-${t}"`);
    if (t > 0) lines.push(`      dependencies: [task_${Math.floor((t - 1) / 2)}]`);
  }
  return lines.join('\n') + '\n';
}

export async function benchDagLoad(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'windsock-bench-dags-'));
  try {
    for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(dir, `dag_${String(i).padStart(4, '0')}.yaml`), dagText(i));
    const registry = new OperatorRegistry().registerAll(builtinOperators);
    const ours: number[] = [];
    const base: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      let t = process.hrtime.bigint();
      const result = loadDagFolder(dir, registry);
      ours.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (result.dags.length !== FILES || result.problems.length) {
        throw new Error(`expected ${FILES} DAGs and no problems, got ${result.dags.length} DAGs and ${result.problems.length} problems`);
      }
      t = process.hrtime.bigint();
      let bytes = 0;
      for (const f of fs.readdirSync(dir).sort()) bytes += JSON.stringify(parse(fs.readFileSync(path.join(dir, f), 'utf8'))).length;
      base.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (!bytes) throw new Error('baseline read nothing');
    }
    const value = median(ours);
    const baseline = median(base);
    return [
      {
        name: `loadDagFolder, ${FILES} files x ${TASKS} bash tasks`,
        value,
        unit: 'ms',
        baseline,
        baselineName: 'yaml.parse + JSON.stringify',
        ratio: value / baseline,
        target: '< 1000 ms',
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
