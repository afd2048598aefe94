// The action pages: the form of an action that takes input (each problem beside its field, readable with script
// off), the confirmation with the dry run, its switches and the one POST that does it, and the page of a refusal.
import type { Child } from 'hono/jsx';
import { Layout, type PageContext } from '../layout.js';
import { safeNext } from '../session.js';
import type { FormField, FormView, PageAction, Preview } from './action.js';

/** The query string of `fields` with `changes` applied (undefined removes a field). */
export function withFields(fields: Record<string, string>, changes: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...fields, ...changes })) if (v !== undefined) q.set(k, v);
  return q.toString();
}

function Field(props: { f: FormField; error?: string }) {
  const { f, error } = props;
  const id = `f-${f.name}`;
  const described = [f.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name: f.name, 'aria-describedby': described, 'aria-invalid': error ? 'true' : undefined, required: f.required };
  let control: Child;
  if (f.kind === 'select') {
    control = <select {...common}>{f.choices!.map(([v, label]) => <option value={v} selected={v === f.value}>{label}</option>)}</select>;
  } else if (f.kind === 'checkbox') {
    control = <input type="checkbox" {...common} value="true" checked={f.value === 'true'} />;
  } else if (f.kind === 'json') {
    control = <textarea {...common} rows={Math.min(12, Math.max(3, f.value.split('\n').length + 1))} spellcheck={false} class="mono" data-json-field={f.anyJson ? 'any' : 'object'}>{f.value}</textarea>;
  } else if (f.kind === 'number') {
    control = <input type="number" {...common} value={f.value} min={f.min} step={f.step ?? '1'} />;
  } else {
    control = <input type={f.kind === 'datetime' ? 'datetime-local' : 'text'} {...common} value={f.value} pattern={f.pattern} step={f.kind === 'datetime' ? '1' : undefined} class={f.kind === 'text' ? 'mono' : undefined} />;
  }
  return (
    <div class={`field${f.kind === 'checkbox' ? ' check' : ''}${error ? ' invalid' : ''}`}>
      <label for={id}>{f.label}</label>
      {control}
      {f.hint ? <small id={`${id}-hint`} class="muted">{f.hint}</small> : null}
      <small id={`${id}-error`} class="error" role={error ? 'alert' : undefined} hidden={!error}>{error ? `⚠ ${error}` : ''}</small>
    </div>
  );
}

export function FormPage(props: { ctx: PageContext; action: PageAction; view: FormView; fields: Record<string, string>; errors: Record<string, string>; problem?: string }) {
  const { view, errors } = props;
  const keep = ['dag_id', 'back'].filter((k) => props.fields[k] !== undefined);
  const shown = new Set(view.groups.flatMap((g) => g.fields.map((f) => f.name)));
  const loose = Object.entries(errors).filter(([k]) => !shown.has(k));
  return (
    <Layout title={props.action.title} ctx={props.ctx} scripts={['action-form.js']}>
      <div class="card action">
        <h1>{props.action.title}</h1>
        <p>{view.intro}</p>
        {props.problem || loose.length ? (
          <p class="error" role="alert">⚠ {[props.problem, ...loose.map(([k, m]) => `${k}: ${m}`)].filter(Boolean).join(' ')}</p>
        ) : null}
        <form method="get" action={`/actions/${props.action.name}`} class="action-form">
          <input type="hidden" name="review" value="1" />
          {keep.map((k) => <input type="hidden" name={k} value={props.fields[k]} />)}
          {view.groups.map((g) => (
            <fieldset>
              {g.legend ? <legend>{g.legend}</legend> : null}
              {g.hint ? <p class="muted">{g.hint}</p> : null}
              {g.fields.map((f) => <Field f={f} error={errors[f.name]} />)}
            </fieldset>
          ))}
          <div class="buttons">
            <button type="submit" class="primary">{view.submit}</button> <a class="button" href={safeNext(view.back)}>Cancel</a>
          </div>
        </form>
      </div>
    </Layout>
  );
}

export function ConfirmPage(props: { ctx: PageContext; action: PageAction; preview: Preview; fields: Record<string, string> }) {
  const { preview, fields } = props;
  const name = props.action.name;
  const edit = props.action.form ? `/actions/${name}?${withFields(fields, { review: undefined })}` : null;
  const hidden = Object.entries(fields).filter(([k]) => k !== 'review');
  return (
    <Layout title={props.action.title} ctx={props.ctx}>
      <div class="card action">
        <h1>{props.action.title}</h1>
        <p id="summary">{preview.summary}</p>
        {preview.options?.length ? (
          <ul class="options" aria-label="Options">
            {preview.options.map((o) => (
              <li>
                <a href={`/actions/${name}?${withFields(fields, { [o.field]: o.on ? 'false' : 'true' })}`} data-option={o.field} data-on={String(o.on)}>
                  <span aria-hidden="true">{o.on ? '☑' : '☐'}</span> {o.label}
                  <span class="muted"> ({o.on ? 'on: select to turn it off' : 'off: select to turn it on'})</span>
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        {preview.items?.length ? <ul id="dry-run">{preview.items.map((i) => <li>{i}</li>)}</ul> : null}
        <form method="post" action={`/actions/${name}`} class="buttons">
          <input type="hidden" name="csrf" value={props.ctx.csrf} />
          {hidden.map(([k, v]) => <input type="hidden" name={k} value={v} />)}
          <button type="submit" class={preview.danger ? 'danger' : 'primary'} autofocus>{preview.confirm}</button>{' '}
          {edit ? <><a class="button" href={edit}>Edit</a>{' '}</> : null}
          <a class="button" href={safeNext(preview.back)}>Cancel</a>
        </form>
      </div>
    </Layout>
  );
}

export function ProblemPage(props: { ctx: PageContext; title: string; message: string; back?: string }) {
  return (
    <Layout title={props.title} ctx={props.ctx}>
      <div class="card">
        <h1>{props.title}</h1>
        <p class="error" role="alert">⚠ {props.message}</p>
        {props.back ? <a class="button" href={safeNext(props.back)}>Back</a> : <a href="/">Back to the DAGs</a>}
      </div>
    </Layout>
  );
}
