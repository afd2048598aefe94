// Where the analytics endpoints read from: sessions of read-only warehouse queries, each a consistent view (the CLI
// passes the warehouse reader of tasks/warehouse/warehouse-reader.ts; the web server never imports the tasks).
import type * as arrow from 'apache-arrow';

export interface AnalyticsSession {
  /** Arrow record batches as the warehouse produces them; at least one (possibly empty). */
  query(sql: string): AsyncIterable<arrow.RecordBatch>;
  close(): Promise<void>;
}

export interface AnalyticsSource {
  open(): Promise<AnalyticsSession>;
}
