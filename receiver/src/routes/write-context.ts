import type { AppContext } from "../app-context.js";
import { confinedTo, type Principal } from "../auth/principal.js";
import type { WriteContext } from "../releases/release-writer.js";

/**
 * What a release write knows of its moment and its caller: the configuration, the time, and the only
 * repository an OIDC caller may write for.
 *
 * @example await ctx.store.perform("update", writeContext(ctx, c.get("principal")), { id, input, force: false });
 */
export function writeContext(ctx: AppContext, principal: Principal | undefined): WriteContext {
  return { config: ctx.config.sponge, now: ctx.now(), owner: confinedTo(principal) };
}
