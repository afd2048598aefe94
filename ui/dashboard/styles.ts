// CSS shared by the dashboard's elements: dc.css and the panel look, inside each shadow root (document styles do
// not reach into it).
import { css, unsafeCSS } from 'lit';
import dcCss from 'dc/dist/style/dc.css';

export const panelStyles = [
  unsafeCSS(dcCss),
  css`
    :host { display: block; min-width: 0; }
    h2 { font-size: 1rem; margin: 0 0 0.5rem; }
    p { margin: 0.25rem 0; }
    .summary { font-size: 0.85rem; color: #3c4043; }
    .chart { width: 100%; overflow: hidden; }
    .dc-chart g.row text { fill: #1b1f24; }
    .dc-chart .axis text { fill: #3c4043; }
    .guideline { stroke: #b00020; stroke-width: 1.5; stroke-dasharray: 6 4; }
    .guideline-label { fill: #b00020; font-size: 11px; }
    button, select, input { font: inherit; }
  `,
];
