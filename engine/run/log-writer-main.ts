// The thread that writes attempt logs. The run loop hands it a batch of operations per turn of its event loop; it
// applies them in order with synchronous file calls (cheap here, off the runner's thread) and answers once per batch
// with what opened, closed or failed.
import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { LogOp, LogReply } from './log-writer.js';

const port = parentPort!;
const fds = new Map<number, number>();

port.on('message', (ops: LogOp[]) => {
  const reply: LogReply = { opened: [], closed: [], failed: [] };
  for (const op of ops) {
    try {
      if (op.kind === 'open') {
        fs.mkdirSync(path.dirname(op.file), { recursive: true });
        fds.set(op.id, fs.openSync(op.file, 'a'));
        reply.opened.push(op.id);
      } else if (op.kind === 'write') {
        const fd = fds.get(op.id);
        if (fd !== undefined) fs.writeSync(fd, op.text);
      } else {
        const fd = fds.get(op.id);
        fds.delete(op.id);
        if (fd !== undefined) fs.closeSync(fd);
        reply.closed.push(op.id);
      }
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (op.kind !== 'open') {
        const fd = fds.get(op.id);
        fds.delete(op.id);
        if (fd !== undefined) fs.closeSync(fd);
      }
      reply.failed.push({ id: op.id, code: e.code, message: e.message });
      if (op.kind === 'close') reply.closed.push(op.id);
    }
  }
  port.postMessage(reply);
});
