// The paused switch: for a user, a button that asks for confirmation (a GET of the action's confirmation page, which
// changes nothing); for a viewer, the state as text. The browser script flips it when the change events say so.
// Built as a string (see html.ts): the DAG list has one per DAG.
import { h, type Html } from './html.js';

export function pauseSwitch(dagId: string, paused: boolean, canEdit: boolean): Html {
  const label = paused ? 'paused' : 'active';
  if (!canEdit) {
    return h`<span class="toggle" data-paused-of="${dagId}" data-paused="${String(paused)}"><span class="switch" role="img" aria-label="${label}" aria-checked="${String(!paused)}"></span><span class="label">${label}</span></span>`;
  }
  return h`<form method="get" action="/actions/pause" class="inline toggle" data-paused-of="${dagId}" data-paused="${String(paused)}"><input type="hidden" name="dag_id" value="${dagId}"/><input type="hidden" name="paused" value="${String(!paused)}"/><button type="submit" class="switch" role="switch" aria-checked="${String(!paused)}" aria-label="${`${dagId} is ${label}: ${paused ? 'unpause' : 'pause'} it`}" title="${paused ? 'Unpause' : 'Pause'}"></button><span class="label">${label}</span></form>`;
}

export function PauseSwitch(props: { dagId: string; paused: boolean; canEdit: boolean }) {
  return pauseSwitch(props.dagId, props.paused, props.canEdit);
}
