import { actionsIo } from "./actions-io.js";
import { runPost } from "./run-post.js";

await runPost(actionsIo());
