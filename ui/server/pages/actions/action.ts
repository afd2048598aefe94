// The admin UI's actions (pause, trigger, clear, mark, delete a run, backfill...), each a small module with the same
// shape: a form schema, the role it needs, a dry run that says what it will do, and the call into the engine's
// service layer that does it (which records it in the audit log). GET /actions/<name>?... shows the dry run on a
// confirmation page and changes nothing; POST /actions/<name> (CSRF token + Origin checked) does it.
import type { z } from 'zod';
import type { Role } from '../../../../engine/state/users.js';
import { UserError } from '../../../../engine/types.js';
import { ConflictError, NotFoundError } from '../../../../engine/service/errors.js';
import type { Caller } from '../../auth/middleware.js';
import type { AppDeps } from '../../deps.js';

export interface Preview {
  /** One sentence: "Pause DAG etl: the scheduler creates no new runs until it is unpaused." */
  summary: string;
  /** What it touches, one line each ("these 7 task instances will be cleared"). */
  items?: string[];
  /** The confirm button's label. */
  confirm: string;
  /** Where Cancel (and, by default, success) goes. */
  back: string;
  danger?: boolean;
  /** Switches the user may flip on this page (with downstream, only failed...): each a link to the dry run with it flipped. */
  options?: PreviewOption[];
}

export interface PreviewOption {
  /** The form field it sets to 'true' or 'false'. */
  field: string;
  label: string;
  on: boolean;
}

/** One input of an action's form (trigger, backfill), rendered by form-page.tsx. */
export interface FormField {
  name: string;
  label: string;
  kind: 'text' | 'datetime' | 'number' | 'select' | 'checkbox' | 'json';
  value: string;
  hint?: string;
  /** select: [value, label] pairs. */
  choices?: [string, string][];
  /** text: the pattern the browser checks before it submits (the server checks again). */
  pattern?: string;
  /** json: any JSON value (a param's list, map or null), not only an object (conf). */
  anyJson?: boolean;
  /** number: min and step. */
  min?: number;
  step?: string;
  required?: boolean;
}

export interface FormView {
  intro: string;
  /** Groups of fields, each under its legend (no legend: the main group). */
  groups: { legend?: string; hint?: string; fields: FormField[] }[];
  /** The button that shows the confirmation page. */
  submit: string;
  back: string;
}

export interface Outcome {
  message: string;
  /** Where to go afterwards; the page there shows the effect, and keeps following it live. */
  redirect: string;
}

export interface PageAction<S extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  role: Role;
  /** The form fields (strings from a query string or a form body) as the action's input. */
  input: S;
  /** The dry run; throws ActionError when the input names nothing (404) or cannot be done (409). */
  preview(deps: AppDeps, input: z.infer<S>): Preview | Promise<Preview>;
  apply(deps: AppDeps, input: z.infer<S>, caller: Caller): Outcome | Promise<Outcome>;
  /**
   * Actions that take input first (trigger, backfill): the form, filled in with the fields as given. GET without
   * review=1 shows it; the form asks for the confirmation page (a GET with review=1), which can go back to it.
   */
  form?(deps: AppDeps, fields: Record<string, string>): FormView | Promise<FormView>;
}

export class ActionError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    message: string,
    /** The form field at fault (or each field's problem), shown beside it when the action has a form. */
    readonly field?: string | Record<string, string>,
  ) {
    super(message);
  }
}

/** What the service layer refuses, as the page says it: not found 404, a clash 409, any other mistake 400. */
export function asActionError(err: unknown, field?: string): unknown {
  if (err instanceof ActionError) return err;
  if (err instanceof NotFoundError) return new ActionError(404, err.message, field);
  if (err instanceof ConflictError) return new ActionError(409, err.message, field);
  if (err instanceof UserError) return new ActionError(400, err.hint ? `${err.message} (${err.hint})` : err.message, field);
  return err;
}

/** Run a service call, turning what it refuses into the ActionError that says so. */
export function serviceCall<T>(fn: () => T, field?: string): T {
  try {
    return fn();
  } catch (err) {
    throw asActionError(err, field);
  }
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function defineAction<S extends z.ZodType>(a: PageAction<S>): PageAction<S> {
  return a;
}
