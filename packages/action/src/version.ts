/** The action's version, sent in the User-Agent. Kept equal to package.json. */
export const VERSION = "0.1.0";
