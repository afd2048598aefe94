// The admin pages' one stylesheet, served at /assets/admin.css (no inline style anywhere: the CSP forbids it).
import { STATE_COLORS } from './states.js';

const stateRules = Object.entries(STATE_COLORS)
  .map(([s, c]) => `.st-${s}{--st:${c}}`)
  .join('\n');

export const STYLESHEET = `
:root{--fg:#1d2433;--muted:#5b6475;--line:#dde1e8;--bg:#f6f7f9;--card:#fff;--steel:#3b5573;--accent:#2563eb;color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
header.top{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;padding:.5rem 1rem;background:var(--steel);color:#fff}
header.top a{color:#fff;text-decoration:none;padding:.25rem .4rem;border-radius:4px}
header.top a:hover,header.top a[aria-current=page]{background:rgba(255,255,255,.16)}
header.top .brand{font-weight:700;font-size:1.05rem}
header.top nav{display:flex;flex-wrap:wrap;gap:.25rem}
header.top .who{margin-left:auto;display:flex;gap:.5rem;align-items:center}
header.top .who button{background:transparent;border:1px solid rgba(255,255,255,.5);color:#fff}
header.top .muted{color:#c9d3e0}
main{padding:1rem;max-width:100%}
h1{font-size:1.35rem;margin:.2rem 0 .6rem}
h2{font-size:1.1rem;margin:1rem 0 .5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.75rem;margin-bottom:1rem;overflow:auto}
table.list{border-collapse:collapse;width:100%;background:var(--card)}
table.list th,table.list td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
table.list th{font-weight:600;color:var(--muted);font-size:.85rem;white-space:nowrap}
.muted{color:var(--muted)}
.mono,code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
.tag{display:inline-block;background:#e8edf5;color:#34445c;border-radius:999px;padding:0 .5rem;margin:0 .2rem .2rem 0;font-size:.8rem;text-decoration:none}
button,.button{font:inherit;padding:.3rem .7rem;border-radius:4px;border:1px solid #b9c2d0;background:#fff;color:var(--fg);cursor:pointer;text-decoration:none;display:inline-block}
button.primary,.button.primary{background:var(--steel);border-color:var(--steel);color:#fff}
button.danger{background:#b42318;border-color:#b42318;color:#fff}
button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
input,select,textarea{font:inherit;padding:.3rem .4rem;border:1px solid #b9c2d0;border-radius:4px;background:#fff}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:.75rem}
form.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
form.inline{display:inline}
.banner{border-left:4px solid #b42318;background:#fdecea;padding:.5rem .75rem;margin-bottom:.5rem;border-radius:4px;overflow-wrap:anywhere}
.notice{border-left:4px solid #1a7f37;background:#e9f7ee;padding:.5rem .75rem;margin-bottom:.75rem;border-radius:4px}
.st{--st:${STATE_COLORS.none}}
${stateRules}
.badge{display:inline-flex;gap:.25rem;align-items:center;padding:0 .45rem;border-radius:999px;color:#fff;background:var(--st);font-size:.8rem;white-space:nowrap}
.marks{display:flex;gap:2px;align-items:center}
.mark{display:inline-block;width:12px;height:12px;border-radius:2px;background:var(--st);color:#fff;font-size:9px;line-height:12px;text-align:center;text-decoration:none}
form.inline.toggle,.toggle{display:inline-flex;align-items:center;gap:.35rem;vertical-align:middle}
.toggle .label{font-size:.85rem;font-weight:400;color:var(--muted)}
h1 .toggle{margin-left:.5rem}
table.kv th{width:14rem}
.switch{width:2.1rem;height:1.15rem;border-radius:999px;background:#9aa4b2;position:relative;display:inline-block;border:0;padding:0}
.switch::after{content:"";position:absolute;top:2px;left:2px;width:calc(1.15rem - 4px);height:calc(1.15rem - 4px);border-radius:50%;background:#fff;transition:left .15s}
.switch[aria-checked=true]{background:#1a7f37}
.switch[aria-checked=true]::after{left:calc(2.1rem - 1.15rem + 2px)}
.tabs{display:flex;flex-wrap:wrap;gap:.25rem;border-bottom:1px solid var(--line);margin-bottom:.75rem}
.tabs a{padding:.4rem .75rem;text-decoration:none;color:var(--muted);border-bottom:2px solid transparent}
.tabs a[aria-current=page]{color:var(--fg);border-bottom-color:var(--steel);font-weight:600}
.grid-wrap{display:flex;gap:1rem;align-items:flex-start}
.grid-scroll{overflow:auto;max-width:100%;flex:1 1 auto;background:var(--card);border:1px solid var(--line);border-radius:6px}
table.grid{border-collapse:separate;border-spacing:2px}
table.grid th.task{position:sticky;left:0;background:var(--card);text-align:left;font-weight:400;white-space:nowrap;padding:0 .5rem 0 .25rem;max-width:22rem;overflow:hidden;text-overflow:ellipsis;z-index:1}
table.grid th.task.in-group{padding-left:1.25rem}
table.grid tr.group th.task{font-weight:600}
table.grid td{padding:0}
table.grid tr[hidden]{display:none}
table.grid td>a{display:block;width:18px;height:18px;border-radius:3px;background:var(--st);color:#fff;font-size:11px;line-height:18px;text-align:center;text-decoration:none}
table.grid td>a.st-none{background:#eef0f3;color:#8a93a3;border:1px solid #d3d8df;line-height:16px}
table.grid td>a[aria-selected=true]{outline:2px solid var(--fg);outline-offset:1px}
p.legend{display:flex;flex-wrap:wrap;gap:.2rem .8rem;margin:.4rem .5rem;font-size:.8rem;color:var(--muted)}
p.legend .mark{vertical-align:-1px}
th.bar{vertical-align:bottom;padding:0}
th.bar a{display:block}
th.bar svg{display:block}
th.bar rect{fill:var(--st)}
.group-toggle{border:0;background:none;padding:0 .25rem;cursor:pointer;font:inherit}
aside.panel{flex:0 0 24rem;max-width:100%;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.75rem;overflow:auto}
aside.panel dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .75rem;margin:0}
aside.panel dt{color:var(--muted)}
aside.panel dd{margin:0;overflow-wrap:anywhere}
aside.panel pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
pre.code{margin:0;counter-reset:line;background:#fbfcfd;overflow:auto}
pre.code span.line{display:block;padding-right:1rem}
pre.code span.line::before{counter-increment:line;content:counter(line);display:inline-block;width:3.5em;padding-right:.75em;text-align:right;color:#98a2b3;user-select:none}
pre.code span.line.error{background:#fdecea}
pre.code span.line.error::before{color:#b42318;font-weight:700}
.log-tools{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin-bottom:.5rem}
pre.log{margin:0;background:#0f1722;color:#dbe3ee;padding:.75rem;border-radius:6px;overflow:auto;max-height:75vh;white-space:pre}
#wrap:checked ~ pre.log{white-space:pre-wrap;overflow-wrap:anywhere}
.markdown{overflow-wrap:anywhere}
.markdown pre{background:#f1f3f6;padding:.5rem;overflow:auto}
.login{max-width:22rem;margin:3rem auto}
form.stacked{display:flex;flex-direction:column;gap:.5rem;max-width:40rem;margin-top:1rem}
form.stacked label{display:flex;flex-direction:column;gap:.2rem}
pre.value{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;max-width:32rem}
.login form{display:flex;flex-direction:column;gap:.6rem}
.login label{display:flex;flex-direction:column;gap:.2rem}
.error{color:#b42318}
.graph svg{max-width:100%;height:auto}
.graph rect.node{fill:var(--st);stroke:#0003}
.graph text{fill:#fff;font-size:12px}
.graph path.edge{fill:none;stroke:#8a93a3;stroke-width:1.2}
.graph rect.group{fill:#eef2f8;stroke:#b9c2d0}
.graph text.group-label{fill:var(--muted)}
.gantt p{overflow-wrap:anywhere}
.gantt-rows{list-style:none;margin:0;padding:0}
.gantt-rows li{display:grid;grid-template-columns:minmax(0,12rem) minmax(0,1fr);gap:.75rem;align-items:center;min-height:22px}
.gantt-task{font-size:.8rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.gantt-track{display:block;width:100%;background:#f1f3f6}
.gantt rect{fill:var(--st)}
table.list td[data-label=Duration]{white-space:nowrap;font-variant-numeric:tabular-nums}
.backfill-running{color:#1a7f37;font-weight:600}
.backfill-paused{color:#9a6700;font-weight:600}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:700px){
  main{padding:.5rem}
  header.top .who{margin-left:0}
  .grid-wrap{flex-direction:column}
  aside.panel{flex-basis:auto;width:100%}
  .gantt-rows li{grid-template-columns:minmax(0,1fr);gap:.1rem;padding:.2rem 0}
  .gantt-task{white-space:normal;overflow-wrap:anywhere}
  table.list.responsive thead{display:none}
  table.list.responsive tr{display:block;border-bottom:1px solid var(--line);padding:.4rem 0}
  table.list.responsive td{display:block;border:0;padding:.1rem .5rem}
  table.list.responsive td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:.8rem}
}
`;
