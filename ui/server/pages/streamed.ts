// How the big pages are sent. A page in two parts: its frame (head, header, tabs) at once, so the browser fetches the stylesheet and the
// script and paints while the server still renders the body (the grid at 25 runs x 500 tasks); then the body and the
// end of the document. The status is sent with the frame, so a body that fails to render says so in the page.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { logger } from '../../../engine/log.js';
import type { Html } from './html.js';

const SLOT = '<!--windsock:body-->';

/** What a page's frame is rendered around: its children are where the body will go. */
export const bodySlot = () => raw(SLOT);

/** One turn of the event loop, so the frame's chunk reaches the socket before the body is built. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A JSX element (or Html) as its text. */
async function render(node: Child | Html): Promise<string> {
  return String(await (node as { toString(): string | Promise<string> }).toString());
}

/**
 * A whole page in one body, encoded once: hono's c.html hands @hono/node-server the rope of strings the JSX made,
 * which it flattens to count its bytes and then encodes again (two fifths of the DAG list's render at 1,000 DAGs).
 */
export async function htmlPage(c: Context, page: Child | Html, status: ContentfulStatusCode = 200): Promise<Response> {
  return c.body(new TextEncoder().encode(await render(page)), status, { 'Content-Type': 'text/html; charset=UTF-8' });
}

export async function streamedPage(c: Context, frame: Child, body: () => Child | Html | Promise<Child | Html>): Promise<Response> {
  const text = await render(frame);
  const at = text.indexOf(SLOT);
  if (at < 0) throw new Error('streamedPage: the frame has no bodySlot()');
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(out) {
      out.enqueue(encoder.encode(text.slice(0, at)));
      await yieldToIo();
      let html: string;
      try {
        html = await render(await body());
      } catch (err) {
        logger.error({ err, path: c.req.path }, 'page body failed to render');
        html = '<p class="banner" role="alert">This part of the page could not be read from the state database: reload the page, and see the server log if it persists.</p>';
      }
      out.enqueue(encoder.encode(html + text.slice(at + SLOT.length)));
      out.close();
    },
  });
  // Chunked, as hono's streamText says: without it @hono/node-server reads ahead to give the body a length, and
  // waits for the body before sending the frame.
  return c.body(stream, 200, { 'Content-Type': 'text/html; charset=UTF-8', 'Transfer-Encoding': 'chunked' });
}
