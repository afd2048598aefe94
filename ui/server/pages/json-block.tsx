// A value shown as indented JSON (params, conf, XCom, arguments), always as text: never parsed into markup.
export function JsonBlock(props: { value: unknown }) {
  let text: string;
  try {
    text = typeof props.value === 'string' ? props.value : JSON.stringify(props.value, null, 2);
  } catch {
    text = String(props.value);
  }
  return <pre class="mono">{text}</pre>;
}

/** A JSON column's text as its value, or the text itself when it is not JSON. */
export function parsedOrText(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
