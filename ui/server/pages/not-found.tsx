// A page for an id that names nothing: what was not found, and the way back.
import { Layout, type PageContext } from './layout.js';

export function NotFoundPage(props: { ctx: PageContext; what: string }) {
  return (
    <Layout title="Not found" ctx={props.ctx}>
      <div class="card">
        <h1>Not found</h1>
        <p>{props.what}</p>
        <a href="/">Back to the DAGs</a>
      </div>
    </Layout>
  );
}
