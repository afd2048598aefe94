// The admin UI's actions (pause, trigger, clear, mark, delete a run, backfill...), each a small module with the same
// shape: a form schema, the role it needs, a dry run that says what it will do, and the call into the engine's
// service layer that does it (which records it in the audit log). GET /actions/<name>?... shows the dry run on a
// confirmation page and changes nothing; POST /actions/<name> (CSRF token + Origin checked) does it.
import type { z } from 'zod';
import type { Role } from '../../../../engine/state/users.js';
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
}

export class ActionError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

export function defineAction<S extends z.ZodType>(a: PageAction<S>): PageAction<S> {
  return a;
}
