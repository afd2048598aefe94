// The bounds that keep one hostile DAG file (a "billion laughs" file, a 100 000-deep list, a 1 GB log renamed .yaml)
// an import error for that file instead of a crash or a stall of every command and of the scheduler. Legitimate
// DAG files stay far below each of them; every limit is reported with the number, so it can be raised on purpose.

/** Bytes a DAG or defaults file may hold. 10 MiB is thousands of DAGs; a bigger file is data, not configuration. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Nesting of maps and lists. DAG settings go about eight levels deep (DAG, tasks, task, params, ...); the loader and
 * the validator recurse, so a deeper file would overflow the stack.
 */
export const MAX_DEPTH = 100;

/**
 * What aliases (`*name`) and merge keys (`<<`) may expand a file to, counted as characters of strings and keys plus
 * one per value. A file without aliases stays under about twice its size; `billion laughs` (nine levels of nine
 * aliases) expands a 1 KB file to 387 million strings. Same defence as the `yaml` package's `maxAliasCount`, which
 * only guards its toJS() (windsock converts the parsed document itself, to keep positions).
 */
export const MAX_EXPANDED_SIZE = 4 * MAX_FILE_BYTES;

/** Problems reported per file; past this the file is mostly wrong, and the first ones say why. */
export const MAX_PROBLEMS_PER_FILE = 100;

/** Characters of a problem message (a quoted key or value is cut well before that). */
export const MAX_MESSAGE_LENGTH = 400;
