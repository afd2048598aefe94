// Every action of the admin UI, by the name in its URL (/actions/<name>). A new action is one module here.
import type { PageAction } from './action.js';
import { pauseAction } from './pause.js';
import { clearAction } from './clear.js';
import { triggerAction } from './trigger.js';
import { markAction } from './mark.js';
import { deleteRunAction } from './delete-run.js';
import { backfillAction } from './backfill.js';
import { backfillStateAction } from './backfill-state.js';

export const ACTIONS: ReadonlyMap<string, PageAction> = new Map<string, PageAction>(
  [pauseAction, clearAction, triggerAction, markAction, deleteRunAction, backfillAction, backfillStateAction].map((a) => [a.name, a as PageAction]),
);
