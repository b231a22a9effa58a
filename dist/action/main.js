import { createRequire as __spongeCreateRequire } from "node:module";
const require = __spongeCreateRequire(import.meta.url);
import {
  actionsIo,
  runMain
} from "./chunks/chunk-CFCEP3W3.js";

// packages/action/src/main.ts
await runMain(actionsIo());
