export { type AppOptions, createApp } from "./app.js";
export type { AppContext, AppEnv, ReceiverConfig } from "./app-context.js";
export { receiverConfig } from "./receiver-config.js";
export { type Clock, Store, type StoreOptions } from "./store/store.js";
