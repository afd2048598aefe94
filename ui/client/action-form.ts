// The action forms' check before submit (trigger, backfill): a JSON field that does not parse, or is not an object,
// is marked invalid with the message beside it, and the browser refuses to submit it. The server checks every field
// again (this script is a convenience: the form works without it).
function problem(text: string, anyValue: boolean): string {
  if (!text.trim()) return anyValue ? 'is empty: write a JSON value (null for none)' : '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `not valid JSON: ${(err as Error).message}; write an object such as {"key": "value"}`;
  }
  if (!anyValue && (typeof value !== 'object' || value === null || Array.isArray(value))) return 'must be a JSON object such as {"key": "value"}';
  return '';
}

function check(field: HTMLTextAreaElement): void {
  const message = problem(field.value, field.dataset.jsonField === 'any');
  field.setCustomValidity(message);
  field.setAttribute('aria-invalid', String(!!message));
  field.closest('.field')?.classList.toggle('invalid', !!message);
  const out = document.getElementById(`${field.id}-error`);
  if (out) {
    out.hidden = !message;
    out.textContent = message ? `⚠ ${message}` : '';
  }
}

for (const field of document.querySelectorAll<HTMLTextAreaElement>('textarea[data-json-field]')) {
  field.addEventListener('input', () => check(field));
  field.form?.addEventListener('submit', (e) => {
    check(field);
    if (!field.checkValidity()) {
      e.preventDefault();
      field.focus();
    }
  });
}
