// The dashboard bundle (dist/ui/assets/dashboard.js): every element, then <aq-dashboard> in the page runs.
import * as dc from './dc.js';
import { schemeTableau10 } from 'd3-scale-chromatic';
import './aq-time-series.js';
import './aq-station-map.js';
import './aq-ranking.js';
import './aq-profile.js';
import './aq-exceedances.js';
import './aq-completeness.js';
import './aq-data-table.js';
import './aq-dashboard.js';

// Our own colours everywhere; and no dc transitions while data streams in (they loop between paths of different lengths).
dc.config.defaultColors(schemeTableau10);
dc.config.disableTransitions = true;
