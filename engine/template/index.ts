// Airflow's template context and Jinja-compatible rendering of task arguments (airflow.apache.org docs: templates-ref).
export { templateContext, type TemplateRunInfo, type XcomReader } from './context.js';
export { renderArgs, TemplateRenderError } from './render.js';
export { compileTemplate } from './environment.js';
export { PyDateTime } from './py-datetime.js';
export { macros } from './macros.js';
