// engine/dag: DAG files (dag-factory dialect) -> validated DagSpecs, import problems with file:line:column, and the
// task graph.
export { loadDagFile, type LoadOptions, type FileResult } from './load-file.js';
export { loadDagFolder, type FolderResult } from './load-folder.js';
export { dagJsonSchema } from './json-schema.js';
export { dagSchemaText } from './write-schema.js';
export { priorityWeights, leaves, roots, topoOrder, descendants, ancestors, downstream, upstream, taskGraph, findCycle } from './graph.js';
