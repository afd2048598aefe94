// HTML built as strings, for the big repeated parts of the pages (the grid's cells, the DAG list's rows): at a
// thousand rows, a hono/jsx node per element cost several times the render. `h` is hono's own `html` template
// (hono/html): every string it is given is escaped by the escaper its JSX uses, unless it is already escaped (built
// by `h`, or `raw`), so a forgotten escape cannot happen by omission. https://hono.dev/docs/helpers/html
import { html } from 'hono/html';
import { escapeToBuffer, type HtmlEscapedString } from 'hono/utils/html';

/** HTML text that is safe to insert as is (a JSX child as it stands). */
export type Html = HtmlEscapedString;

/** hono's `html`, typed as the synchronous string it is when no value is a Promise (none is, here). */
export const h = html as (strings: TemplateStringsArray, ...values: unknown[]) => Html;

/** Text escaped for HTML content and quoted attribute values. */
export function escapeHtml(s: string): string {
  const buffer: [string] = [''];
  escapeToBuffer(s, buffer);
  return buffer[0];
}
