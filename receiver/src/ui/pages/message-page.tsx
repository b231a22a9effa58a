import { Layout } from "../components/layout.js";

/** A page that only says something: not found, not signed in, bad link. */
export function MessagePage(props: { title: string; message: string; now: Date; hint?: string }) {
  return (
    <Layout title={props.title} section={null} now={props.now}>
      <div class="page-head">
        <h1>{props.title}</h1>
      </div>
      <div class="card">
        <p role="alert">{props.message}</p>
        {props.hint ? <p class="muted">{props.hint}</p> : null}
        <p>
          <a href="/">Back to the overview</a>
        </p>
      </div>
    </Layout>
  );
}
