// A DAG file with line numbers, the lines its import errors point at highlighted (and each line an anchor, #L12).
export function CodeView(props: { file: string; text: string; errorLines: Map<number, string> }) {
  const lines = props.text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return (
    <div class="card">
      <h2 class="mono">{props.file}</h2>
      <pre class="code" id="code">
        {lines.map((l, i) => {
          const err = props.errorLines.get(i + 1);
          return <span class={err ? 'line error' : 'line'} id={`L${i + 1}`} title={err}>{l || ' '}</span>;
        })}
      </pre>
    </div>
  );
}
