// The Graph tab's script (its own bundle, so dagre is loaded only here): lays the tasks out with @dagrejs/dagre,
// task groups as boxes around their tasks, and draws the result as SVG; nodes link to their task instance.
import dagre from '@dagrejs/dagre';
import { stateLabel, stateSymbol } from '../server/pages/states.js';

interface GraphData {
  dagId: string;
  runId: string | null;
  nodes: { id: string; group: string | null; state: string | null; href: string | null }[];
  edges: [string, string][];
}

const SVG = 'http://www.w3.org/2000/svg';
function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function draw(host: HTMLElement, d: GraphData): void {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 40, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  const groups = new Set(d.nodes.map((n) => n.group).filter((x): x is string => !!x));
  for (const grp of groups) g.setNode(`group:${grp}`, { label: grp, paddingTop: 20 });
  for (const n of d.nodes) {
    g.setNode(n.id, { width: Math.min(274, 30 + n.id.length * 7), height: 26 });
    if (n.group) g.setParent(n.id, `group:${n.group}`);
  }
  for (const [a, b] of d.edges) g.setEdge(a, b);
  dagre.layout(g);
  const { width = 100, height = 100 } = g.graph();
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Task graph of ${d.dagId}` });
  for (const grp of groups) {
    const b = g.node(`group:${grp}`);
    svg.append(el('rect', { class: 'group', x: b.x - b.width / 2, y: b.y - b.height / 2, width: b.width, height: b.height, rx: 6 }));
    svg.append(el('text', { class: 'group-label', x: b.x - b.width / 2 + 6, y: b.y - b.height / 2 + 14 }, grp));
  }
  for (const e of g.edges()) {
    const pts = g.edge(e).points;
    svg.append(el('path', { class: 'edge', d: pts.map((p: { x: number; y: number }, i: number) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '), 'marker-end': 'url(#arrow)' }));
  }
  const defs = el('defs', {});
  const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' });
  marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#8a93a3' }));
  defs.append(marker);
  svg.prepend(defs);
  for (const n of d.nodes) {
    const b = g.node(n.id);
    const a = el('a', n.href ? { href: n.href } : {});
    a.id = `gn:${n.id}`;
    const rect = el('rect', { class: `node st st-${n.state ?? 'none'}`, x: b.x - b.width / 2, y: b.y - b.height / 2, width: b.width, height: b.height, rx: 4 });
    rect.append(el('title', {}, `${n.id}: ${stateLabel(n.state)}`));
    const label = el('text', { x: b.x - b.width / 2 + 8, y: b.y + 4 });
    label.append(el('tspan', { class: 'sym', 'aria-hidden': 'true' }, `${stateSymbol(n.state)} `), n.id); // the state without colour
    a.append(rect, label);
    svg.append(a);
  }
  host.querySelector('#graph-fallback')?.setAttribute('hidden', '');
  host.append(svg);
}

const host = document.getElementById('graph');
if (host?.dataset.graph) draw(host, JSON.parse(host.dataset.graph) as GraphData);
