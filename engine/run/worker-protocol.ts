// Messages between the runner and its worker threads.
import type { TaskContextData } from '../operators/api.js';

export type ToWorker =
  | { type: 'run'; id: number; operator: string; args: Record<string, unknown>; ctx: TaskContextData }
  | { type: 'abort'; id: number }
  | { type: 'xcom-result'; reqId: number; value: unknown };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'log'; id: number; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> }
  | { type: 'xcom-pull'; id: number; reqId: number; taskId: string; key: string }
  | { type: 'xcom-push'; id: number; reqId: number; key: string; value: unknown }
  /** `ms`: how long the operator ran in the worker (the pool grows for tasks that hold their workers). */
  | { type: 'done'; id: number; ms: number; outcome: 'success' | 'skipped' | 'failed'; noRetry?: boolean; value?: unknown; error?: string };

export interface WorkerInit {
  plugins: string[];
}
