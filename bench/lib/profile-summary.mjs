// Summarises a V8 .cpuprofile: self time by function and by package, to see where a server spends its CPU.
//   node bench/lib/profile-summary.mjs bench/results/CPU.*.cpuprofile
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) throw new Error("usage: profile-summary.mjs FILE.cpuprofile");
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const deltas = profile.timeDeltas;
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map();
const byPackage = new Map();
for (const [id, us] of self) {
  const { callFrame } = byId.get(id);
  const where = callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/\/work\/main\//, "");
  const key = `${callFrame.functionName || "(anonymous)"} ${where}:${callFrame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const pkg =
    callFrame.url === ""
      ? callFrame.functionName || "(native)"
      : where
          .split("/")
          .slice(0, where.startsWith("@") ? 2 : 1)
          .join("/");
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}
const top = (map, n) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`)
    .join("\n");
console.log(
  `total ${(total / 1000).toFixed(0)} ms\n\nby package\n${top(byPackage, 25)}\n\nby function\n${top(byFunction, 40)}`,
);

// Inclusive time: each function counted once per sample in which it is on the stack.
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map();
const frameKey = (node) => {
  const { callFrame } = node;
  const where = callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/\/work\/main\//, "");
  return `${callFrame.functionName || "(anonymous)"} ${where}:${callFrame.lineNumber + 1}`;
};
profile.samples.forEach((id, i) => {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const key = frameKey(byId.get(at));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + (deltas[i] ?? 0));
  }
});
const filter = process.argv[3]
  ? new RegExp(process.argv[3])
  : /receiver|packages\/|libsql|zod|hono|picomatch/;
console.log(
  `\ninclusive (matching ${filter})\n${top(new Map([...inclusive].filter(([k]) => filter.test(k))), 60)}`,
);
