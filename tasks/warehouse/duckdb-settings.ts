// What opening DuckDB takes, apart from DuckDB: its settings for read-only use and its messages made one line. Kept
// out of duckdb-stream.ts so that a load, which streams nothing, loads neither Arrow nor the stream code.
/** A database opened to read only, sealed off from every other file (DuckDB's own settings). */
export const READ_ONLY_CONFIG: Record<string, string> = {
  access_mode: 'READ_ONLY',
  enable_external_access: 'false',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
};

/** DuckDB's message on one line, without the node client's "Failed to extract statements:" wrapper. */
export function firstLine(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '')?.trim() ?? message;
  return line.replace(/^Failed to (extract|prepare|execute) statements?: /, '');
}
