/** The client's version, sent in the User-Agent and printed by `sponge --version`. Kept equal to package.json. */
export const VERSION = "0.1.0";
