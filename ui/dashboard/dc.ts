// The parts of dc.js the dashboard draws with, from dc's ES modules. dc's package.json points browsers at its UMD
// build, which carries all of d3 (geo, force, contour...); these modules import only the d3 modules they use.
// The d3 v6+ compatibility layer is registered here, as dc's ES build requires (dc 4.2.6 changelog, dc-js/dc.js#1822).
import 'dc/src/compat/d3v6.js';

export { BarChart } from 'dc/src/charts/bar-chart.js';
export { LineChart } from 'dc/src/charts/line-chart.js';
export { RowChart } from 'dc/src/charts/row-chart.js';
export { chartRegistry, deregisterAllCharts, redrawAll, renderAll } from 'dc/src/core/chart-registry.js';
export { config } from 'dc/src/core/config.js';
export { filters } from 'dc/src/core/filters.js';
