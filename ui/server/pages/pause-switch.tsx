// The paused switch: for a user, a button that asks for confirmation (a GET of the action's confirmation page, which
// changes nothing); for a viewer, the state as text. The browser script flips it when the change events say so.
export function PauseSwitch(props: { dagId: string; paused: boolean; canEdit: boolean }) {
  const label = props.paused ? 'paused' : 'active';
  if (!props.canEdit) {
    return <span class="toggle" data-paused-of={props.dagId} data-paused={String(props.paused)}><span class="switch" role="img" aria-label={label} aria-checked={String(!props.paused)}></span><span class="label">{label}</span></span>;
  }
  return (
    <form method="get" action="/actions/pause" class="inline toggle" data-paused-of={props.dagId} data-paused={String(props.paused)}>
      <input type="hidden" name="dag_id" value={props.dagId} />
      <input type="hidden" name="paused" value={String(!props.paused)} />
      <button type="submit" class="switch" role="switch" aria-checked={String(!props.paused)} aria-label={`${props.dagId} is ${label}: ${props.paused ? 'unpause' : 'pause'} it`} title={props.paused ? 'Unpause' : 'Pause'}></button>
      <span class="label">{label}</span>
    </form>
  );
}
