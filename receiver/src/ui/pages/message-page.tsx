import { Layout } from "../components/layout.js";

/** A page that only says something: not found, not signed in, bad link. */
export function MessagePage(props: {
  title: string;
  message: string;
  now: Date;
  hint?: string;
  /** Ask for a read token, then come back to this path. */
  signIn?: { next: string };
}) {
  return (
    <Layout title={props.title} section={null} now={props.now}>
      <div class="page-head">
        <h1>{props.title}</h1>
      </div>
      <div class="card">
        <p role="alert">{props.message}</p>
        {props.hint ? <p class="muted">{props.hint}</p> : null}
        {props.signIn ? (
          <form method="post" action="/ui/sign-in" class="sign-in">
            <input type="hidden" name="next" value={props.signIn.next} />
            <label for="sign-in-token">Read token</label>
            <input id="sign-in-token" name="token" type="password" autocomplete="current-password" required />
            <button type="submit">Sign in</button>
          </form>
        ) : (
          <p>
            <a href="/">Back to the overview</a>
          </p>
        )}
      </div>
    </Layout>
  );
}
