import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands.js";
import { releaseOptions } from "../src/cli/release-options.js";
import { type Peer, startPeer } from "./http-peer.js";
import { cli } from "./run-cli-helper.js";

let peer: Peer;
beforeAll(async () => {
  peer = await startPeer(() => ({
    status: 500,
    body: { error: { code: "unexpected", message: "no request expected" } },
  }));
});
afterAll(async () => {
  await peer.close();
});

describe("help", () => {
  it.each(COMMANDS.map((command) => [command.name]))("sponge %s --help", async (name) => {
    for (const argv of [
      [...name.split(" "), "--help"],
      [...name.split(" "), "-h"],
      ["help", ...name.split(" ")],
      // Help wins over anything else on the line, even mistakes.
      [...name.split(" "), "--no-such-flag", "--help"],
    ]) {
      const run = await cli(argv);
      expect(run, argv.join(" ")).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout).toMatch(new RegExp(`^Usage: sponge ${name}\\b`));
      expect(run.stdout).toContain("Example");
    }
  });

  it("documents every flag of release start and record", async () => {
    for (const name of ["start", "record"]) {
      const { stdout } = await cli(["release", name, "--help"]);
      for (const flag of Object.keys(releaseOptions)) expect(stdout).toContain(`--${flag}`);
    }
    expect((await cli(["release", "record", "--help"])).stdout).toContain("--status");
  });

  it("lists every command in the main help and the group helps", async () => {
    const main = await cli(["--help"]);
    expect(main.code).toBe(0);
    for (const command of COMMANDS) expect(main.stdout).toContain(command.name);
    expect(main.stdout).toContain("SPONGE_URL");
    const release = await cli(["release", "--help"]);
    expect(release.code).toBe(0);
    expect(release.stdout).toContain("add-package");
    expect((await cli(["help", "tokens"])).stdout).toContain("tokens create");
  });

  it("prints the package's version", async () => {
    const pkg: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const version = typeof pkg === "object" && pkg !== null && "version" in pkg ? pkg.version : undefined;
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe("usage errors exit 2 without calling the receiver", () => {
  const id = { SPONGE_RELEASE_ID: "r1" };
  it.each<[string, string[], Record<string, string>, string]>([
    ["no command", [], {}, "missing command"],
    ["an unknown command", ["deploy"], {}, 'unknown command "deploy"'],
    ["a group alone", ["release"], {}, "missing release command"],
    ["an unknown subcommand", ["release", "begin"], {}, 'unknown command "release begin"'],
    [
      "an unknown flag",
      ["release", "start", "--package", "a@1", "--environment", "p", "--bogus"],
      {},
      "--bogus",
    ],
    ["a flag without its value", ["release", "start", "--environment"], {}, "--environment"],
    ["a value on a boolean flag", ["current", "api", "--json=yes"], {}, "--json"],
    ["no --package", ["release", "start", "--environment", "production"], {}, "missing --package"],
    ["no --environment", ["release", "start", "--package", "api@1.0.0"], {}, "missing --environment"],
    [
      "a package without a version",
      ["release", "start", "--package", "api", "--environment", "p"],
      {},
      "name@version",
    ],
    [
      "a package without a name",
      ["release", "record", "--package", "@1.0", "--environment", "p"],
      {},
      "name@version",
    ],
    [
      "a stray argument",
      ["release", "start", "--package", "a@1", "--environment", "p", "extra"],
      {},
      "extra",
    ],
    ["a bad status word", ["release", "finish", "--status", "banana"], id, 'got "banana"'],
    [
      "a status that does not finish",
      ["release", "finish", "--status", "running"],
      id,
      "succeeded, failed, cancelled",
    ],
    [
      "a bad record status",
      ["release", "record", "--package", "a@1", "--environment", "p", "--status", "meh"],
      {},
      "--status",
    ],
    ["no release id", ["release", "finish"], {}, "SPONGE_RELEASE_ID"],
    ["two release ids", ["release", "finish", "r1", "r2"], {}, "r2"],
    ["no package to add", ["release", "add-package"], id, "missing NAME@VERSION"],
    ["a bad package to add", ["release", "add-package", "r1", "api"], {}, "name@version"],
    ["no host name", ["release", "add-host", "r1"], {}, "missing --name"],
    [
      "a bad host status",
      ["release", "add-host", "r1", "--name", "web-1", "--status", "nope"],
      {},
      "--status",
    ],
    ["too many log arguments", ["release", "log", "r1", "a.log", "b.log"], {}, "b.log"],
    ["no package for current", ["current"], {}, "missing PACKAGE"],
    ["two packages for current", ["current", "api", "web"], {}, "web"],
    ["no package for remove", ["remove"], {}, "missing PACKAGE"],
    ["an unknown flag for remove", ["remove", "api", "--env", "production"], {}, "--env"],
    ["no scope", ["tokens", "create"], {}, "missing --scope"],
    ["a bad scope", ["tokens", "create", "--scope", "root"], {}, "read, write, admin"],
    ["a bad SPONGE_URL", ["current", "api"], { SPONGE_URL: "ftp://sponge" }, "SPONGE_URL"],
  ])("%s", async (_, argv, env, expected) => {
    const before = peer.received.length;
    const run = await cli(argv, { env: { SPONGE_URL: peer.url, ...env } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(expected);
    expect(run.stderr).toMatch(/Run 'sponge[a-z -]*--help' for usage\.\n$/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(peer.received.length).toBe(before);
  });

  it("will not wait for a log typed at a terminal", async () => {
    const run = await cli(["release", "log", "r1"], { env: { SPONGE_URL: peer.url }, tty: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("stdin is a terminal");
  });
});
