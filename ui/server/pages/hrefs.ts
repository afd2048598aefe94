// The admin pages' URLs in one place, every id escaped.
const e = encodeURIComponent;

export const dagHref = (dagId: string, tab?: string, query?: Record<string, string>) =>
  `/dags/${e(dagId)}${tab ? `/${tab}` : ''}${query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`;

export const runHref = (dagId: string, runId: string) => dagHref(dagId, undefined, { run: runId });

export const tiHref = (dagId: string, runId: string, taskId: string) => dagHref(dagId, undefined, { run: runId, task: taskId });

export const logHref = (dagId: string, runId: string, taskId: string, tryNumber?: number) =>
  `/dags/${e(dagId)}/runs/${e(runId)}/tasks/${e(taskId)}${tryNumber ? `?try=${tryNumber}` : ''}`;
