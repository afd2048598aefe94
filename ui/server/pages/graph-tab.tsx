// The Graph tab: the tasks and their dependencies for the browser's graph script (ui/client/graph.ts, loaded only
// on this tab), which lays them out with @dagrejs/dagre; without script, the same graph as a list of edges.
import type { DagSpec } from '../../../engine/types.js';
import { stateClass, stateLabel, stateSymbol } from './states.js';
import { tiHref } from './hrefs.js';

export interface GraphData {
  dagId: string;
  runId: string | null;
  nodes: { id: string; group: string | null; state: string | null; href: string | null }[];
  edges: [string, string][];
}

export function graphData(spec: DagSpec, runId: string | null, states: Map<string, string | null>): GraphData {
  return {
    dagId: spec.dagId,
    runId,
    nodes: spec.tasks.map((t) => ({ id: t.taskId, group: t.group, state: states.get(t.taskId) ?? null, href: runId ? tiHref(spec.dagId, runId, t.taskId) : null })),
    edges: spec.tasks.flatMap((t) => t.upstream.map((u): [string, string] => [u, t.taskId])),
  };
}

export function GraphTab(props: { data: GraphData | null }) {
  const d = props.data;
  if (!d) return <p class="muted">The DAG file is not loaded: the graph needs its tasks.</p>;
  const upstream = new Map<string, string[]>();
  for (const [from, to] of d.edges) upstream.set(to, [...(upstream.get(to) ?? []), from]);
  return (
    <div class="card graph" id="graph" data-run={d.runId ?? ''} data-graph={JSON.stringify(d)}>
      <p class="muted">{d.runId ? `States of run ${d.runId}.` : 'No run yet.'} {d.nodes.length} tasks, {d.edges.length} dependencies.</p>
      <ul id="graph-fallback">
        {d.nodes.map((n) => (
          <li>
            <span class={`badge ${stateClass(n.state)}`} title={stateLabel(n.state)} id={`gs:${n.id}`}><span aria-hidden="true">{stateSymbol(n.state)}</span>{n.id}</span>
            {upstream.has(n.id) ? <span class="muted"> after {upstream.get(n.id)!.join(', ')}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
