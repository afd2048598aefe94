// The attempt log (#log): the page opens on one 256 KiB slice of the file (the last one, or the one a link asked
// for); scrolling near the top fetches the slice before it (log.txt?before=), near the bottom the one after
// (log.txt?from=), so a 50 MB log reads from end to start without a page load. At most MAX_CHUNKS slices stay in
// the page (the farthest is dropped as a new one comes), so the page stays small however far the reader goes. While
// the attempt runs and the end of the file is shown, new lines are appended as they are written (the tail).

/** One slice of the file in the page: a text node and its byte range [from, to). */
interface Chunk {
  node: Text;
  from: number;
  to: number;
}

const MAX_CHUNKS = 6;
/** The server's page (LOG_PAGE_BYTES); text counted in characters, which is near enough to bytes for this. */
const PAGE_BYTES = 256 * 1024;
/** How near an edge (in screens) the reader must be for the next slice to be fetched. */
const NEAR = 1;
const ACTIVE = new Set(['running', 'queued', 'scheduled', 'up_for_retry', 'restarting', 'none']);

let chunks: Chunk[] = [];
let size = 0;
let busy = false;

const logEl = () => document.getElementById('log');

async function fetchSlice(log: HTMLElement, q: string): Promise<{ text: string; from: number; to: number } | null> {
  const res = await fetch(`${log.dataset.text}&${q}`, { credentials: 'same-origin' });
  if (!res.ok || res.redirected) return null;
  const text = await res.text();
  size = Number(res.headers.get('X-Log-Size') ?? size);
  log.dataset.state = res.headers.get('X-Task-State') ?? log.dataset.state;
  return { text, from: Number(res.headers.get('X-Log-From') ?? 0), to: Number(res.headers.get('X-Log-Offset') ?? 0) };
}

/** Whether the last slice shown ends where the file ends (then new lines belong after it). */
const atEnd = () => !chunks.length || chunks[chunks.length - 1].to >= size;

function syncData(log: HTMLElement): void {
  log.dataset.from = String(chunks[0]?.from ?? 0);
  log.dataset.offset = String(chunks[chunks.length - 1]?.to ?? 0);
  log.dataset.size = String(size);
}

/** Keep what the reader sees in place while text is added or removed above it. */
function keepingPlace(log: HTMLElement, change: () => void): void {
  const before = log.scrollHeight;
  change();
  log.scrollTop += log.scrollHeight - before;
}

async function loadBefore(log: HTMLElement): Promise<void> {
  const first = chunks[0];
  if (!first || first.from <= 0) return;
  const s = await fetchSlice(log, `before=${first.from}`);
  if (!s || s.to > first.from || s.from >= first.from) return; // the file changed under us, or no progress
  const node = document.createTextNode(s.text);
  keepingPlace(log, () => log.insertBefore(node, first.node));
  chunks.unshift({ node, from: s.from, to: s.to });
  if (chunks.length > MAX_CHUNKS) chunks.pop()!.node.remove(); // below: its removal does not move what is shown
  syncData(log);
}

async function loadAfter(log: HTMLElement): Promise<void> {
  const last = chunks[chunks.length - 1];
  const from = last?.to ?? 0;
  const s = await fetchSlice(log, `from=${from}`);
  if (!s || !s.text || s.from !== from) return;
  if (last && last.to - last.from + s.text.length <= PAGE_BYTES) {
    // the tail's few new lines join the last slice rather than making one each
    last.node.appendData(s.text);
    last.to = s.to;
  } else {
    const node = document.createTextNode(s.text);
    log.append(node);
    chunks.push({ node, from: s.from, to: s.to });
  }
  if (chunks.length > MAX_CHUNKS) {
    const gone = chunks.shift()!;
    keepingPlace(log, () => gone.node.remove());
  }
  document.getElementById('no-log')?.remove();
  syncData(log);
}

/** Append what the attempt wrote since, when the end of the file is what is shown. */
export async function tail(): Promise<void> {
  const log = logEl();
  if (!log?.dataset.text || busy || !atEnd()) return;
  busy = true;
  try {
    const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    await loadAfter(log);
    if (stick) log.scrollTop = log.scrollHeight;
  } finally {
    busy = false;
  }
}

async function onScroll(): Promise<void> {
  const log = logEl();
  if (!log || busy) return;
  busy = true;
  const had = `${log.dataset.from}-${log.dataset.offset}`;
  try {
    const screen = log.clientHeight * NEAR;
    if (log.scrollTop < screen) await loadBefore(log);
    else if (log.scrollHeight - log.scrollTop - log.clientHeight < screen && !atEnd()) await loadAfter(log);
  } finally {
    busy = false;
  }
  // Still near an edge after a slice came (a fast scroll, short lines): the next one, without waiting for a scroll.
  if (`${log.dataset.from}-${log.dataset.offset}` !== had) requestAnimationFrame(() => void onScroll());
}

export function startLog(): void {
  const log = logEl();
  if (!log?.dataset.text) return;
  const first = log.firstChild instanceof Text ? log.firstChild : log.appendChild(document.createTextNode(''));
  chunks = [{ node: first, from: Number(log.dataset.from ?? 0), to: Number(log.dataset.offset ?? 0) }];
  size = Number(log.dataset.size ?? 0);
  log.addEventListener('scroll', () => void onScroll(), { passive: true });
  if (!log.dataset.tail) return;
  log.scrollTop = log.scrollHeight;
  const loop = async () => {
    await tail();
    if (ACTIVE.has(log.dataset.state ?? '')) window.setTimeout(loop, 200);
  };
  void loop();
}
