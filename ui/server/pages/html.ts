// HTML built as strings, for the big repeated parts of the pages (the grid's cells, the DAG list's rows): at a
// thousand rows, a hono/jsx node per element cost several times the render. `h` escapes every value it is given
// through hono's own escaper (the one its JSX uses), unless the value is itself `Html` (built by `h` or `trusted`),
// so a forgotten escape cannot happen by omission.
import { escapeToBuffer } from 'hono/utils/html';

/** HTML text that is safe to insert as is. */
export class Html {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** Text escaped for HTML content and quoted attribute values. */
export function escapeHtml(s: string): string {
  const buffer: [string] = [''];
  escapeToBuffer(s, buffer);
  return buffer[0];
}

/** Markup the caller vouches for (a constant, or text it escaped itself). */
export const trusted = (html: string) => new Html(html);

function part(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.html;
  if (Array.isArray(v)) return v.map(part).join('');
  return escapeHtml(String(v));
}

/** A template whose values are escaped (strings, numbers) or inserted (Html, arrays of them); null/false are nothing. */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1];
  return new Html(out);
}
