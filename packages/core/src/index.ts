export * from "./config.js";
export * from "./schemas.js";
export * from "./status.js";
export * from "./time.js";
export * from "./types.js";
export * from "./merge-release.js";
