// "Broken DAG: dags/x.yaml:12:5 unknown key 'shedule'": one banner per problem of a broken file, linking to the file.
import type { ImportErrorRow } from '../../../engine/state/rows.js';
import { relativeFile } from './format.js';

/** Pure: the problems of an import_error row (one `file:line:col: message` per line), with the file made relative. */
export function importProblems(row: ImportErrorRow, dagsFolder: string): { where: string; line: number | null; message: string }[] {
  const rel = relativeFile(row.filename, dagsFolder);
  return row.stacktrace.split('\n').filter(Boolean).map((text) => {
    const body = text.startsWith(row.filename) ? text.slice(row.filename.length) : null;
    const m = body === null ? null : /^(?::(\d+)(?::(\d+))?)?: ([\s\S]*)$/.exec(body);
    if (!m) return { where: rel, line: null, message: text };
    return { where: rel + (m[1] ? `:${m[1]}${m[2] ? `:${m[2]}` : ''}` : ''), line: m[1] ? Number(m[1]) : null, message: m[3] };
  });
}

export function fileHref(rel: string, line?: number | null): string {
  return `/code?file=${encodeURIComponent(rel)}${line ? `#L${line}` : ''}`;
}

export function ImportErrorBanners(props: { rows: ImportErrorRow[]; dagsFolder: string }) {
  return (
    <div id="import-errors" aria-live="polite">
      {props.rows.flatMap((row) =>
        importProblems(row, props.dagsFolder).map((p) => (
          <div class="banner" role="alert">
            <strong>Broken DAG: </strong>
            <a href={fileHref(relativeFile(row.filename, props.dagsFolder), p.line)} class="mono">{p.where}</a> {p.message}
          </div>
        )),
      )}
    </div>
  );
}
