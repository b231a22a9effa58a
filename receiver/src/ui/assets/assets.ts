import { createHash } from "node:crypto";
import { CLIENT_SCRIPT } from "./client-script.js";
import { STYLES } from "./styles.js";

/** A static file the dashboard serves itself (nothing is fetched from elsewhere). */
export interface Asset {
  /** Path with a content hash, so it can be cached for good. */
  path: string;
  body: string;
  type: string;
  etag: string;
}

function asset(name: string, body: string, type: string): Asset {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  return { path: `/ui/assets/${name}?v=${hash}`, body, type, etag: `"${hash}"` };
}

export const STYLE_ASSET = asset("sponge.css", STYLES, "text/css; charset=utf-8");
export const SCRIPT_ASSET = asset("sponge.js", CLIENT_SCRIPT, "text/javascript; charset=utf-8");

/** Assets by file name. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ["sponge.css", STYLE_ASSET],
  ["sponge.js", SCRIPT_ASSET],
]);
