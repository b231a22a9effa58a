import { ownersOf, parseCodeowners, teamsForChanges } from "@sponge/core";
import { describe, expect, it } from "vitest";

/*
 * Each block of GitHub's "Example of a CODEOWNERS file" and of its branch-protection
 * examples (docs.github.com, "About code owners"), with the paths its text promises.
 */
const examples: { name: string; file: string; owns: [path: string, owners: string[]][] }[] = [
  {
    name: "* sets default owners for everything",
    file: "*       @global-owner1 @global-owner2",
    owns: [
      ["RandomName.docx", ["@global-owner1", "@global-owner2"]],
      ["deeply/nested/file", ["@global-owner1", "@global-owner2"]],
    ],
  },
  {
    name: "*.js after * takes precedence; a trailing # comment is not an owner",
    file: "*       @global-owner1 @global-owner2\n*.js    @js-owner #This is an inline comment.",
    owns: [
      ["app.js", ["@js-owner"]],
      ["src/lib/app.js", ["@js-owner"]],
      ["app.ts", ["@global-owner1", "@global-owner2"]],
    ],
  },
  {
    name: "owners may be e-mail addresses",
    file: "*.go docs@example.com",
    owns: [
      ["main.go", ["docs@example.com"]],
      ["cmd/tool/main.go", ["docs@example.com"]],
      ["main.gox", []],
    ],
  },
  {
    name: "owners may be teams",
    file: "*.txt @octo-org/octocats",
    owns: [
      ["notes.txt", ["@octo-org/octocats"]],
      ["a/b/notes.txt", ["@octo-org/octocats"]],
    ],
  },
  {
    name: "/build/logs/ owns that root directory and its subdirectories",
    file: "/build/logs/ @doctocat",
    owns: [
      ["build/logs/out.log", ["@doctocat"]],
      ["build/logs/2024/01/out.log", ["@doctocat"]],
      ["src/build/logs/out.log", []],
      ["build/logs", []],
    ],
  },
  {
    name: "docs/* owns direct children of docs only",
    file: "docs/*  docs@example.com",
    owns: [
      ["docs/getting-started.md", ["docs@example.com"]],
      ["docs/build-app/troubleshooting.md", []],
      ["src/docs/getting-started.md", []],
    ],
  },
  {
    name: "apps/ owns an apps directory anywhere",
    file: "apps/ @octocat",
    owns: [
      ["apps/file.txt", ["@octocat"]],
      ["some/folder/apps/file.txt", ["@octocat"]],
      ["some/folder/apps/1/2/file.txt", ["@octocat"]],
      ["apps", []],
      ["myapps/file.txt", []],
    ],
  },
  {
    name: "/docs/ owns the root docs directory and its subdirectories",
    file: "/docs/ @doctocat",
    owns: [
      ["docs/index.md", ["@doctocat"]],
      ["docs/build-app/troubleshooting.md", ["@doctocat"]],
      ["src/docs/index.md", []],
    ],
  },
  {
    name: "/scripts/ has two owners",
    file: "/scripts/ @doctocat @octocat",
    owns: [["scripts/deploy.sh", ["@doctocat", "@octocat"]]],
  },
  {
    name: "**/logs owns any logs directory",
    file: "**/logs @octocat",
    owns: [
      ["build/logs/a.log", ["@octocat"]],
      ["scripts/logs/a.log", ["@octocat"]],
      ["deeply/nested/logs/a.log", ["@octocat"]],
      ["logs/a.log", ["@octocat"]],
      ["logsmith/a.log", []],
    ],
  },
  {
    name: "/apps/github without owners removes ownership of that subdirectory",
    file: "/apps/ @octocat\n/apps/github",
    owns: [
      ["apps/web/index.js", ["@octocat"]],
      ["apps/github/index.js", []],
      ["apps/github", []],
    ],
  },
  {
    name: "/apps/github with its own owner",
    file: "/apps/ @octocat\n/apps/github @doctocat",
    owns: [
      ["apps/web/index.js", ["@octocat"]],
      ["apps/github/index.js", ["@doctocat"]],
    ],
  },
  {
    name: "branch protection: /apps/ @doctocat",
    file: "/apps/ @doctocat",
    owns: [["apps/a.js", ["@doctocat"]]],
  },
  {
    name: "branch protection: /apps/ @doctocat @octocat",
    file: "/apps/ @doctocat @octocat",
    owns: [["apps/a.js", ["@doctocat", "@octocat"]]],
  },
  {
    name: "branch protection: /apps/ @example-org/content-team",
    file: "/apps/ @example-org/content-team",
    owns: [["apps/a.js", ["@example-org/content-team"]]],
  },
];

describe("CODEOWNERS: GitHub's documented examples", () => {
  for (const example of examples) {
    it(example.name, () => {
      const rules = parseCodeowners(example.file);
      for (const [path, owners] of example.owns) expect(ownersOf(rules, path), path).toEqual(owners);
    });
  }

  it("the whole example file: the last matching pattern wins", () => {
    const file = [
      "# Default owners, then more specific rules below.",
      "*       @global-owner1 @global-owner2",
      "*.js    @js-owner #This is an inline comment.",
      "*.go docs@example.com",
      "*.txt @octo-org/octocats",
      "/build/logs/ @doctocat",
      "docs/*  docs@example.com",
      "apps/ @octocat",
      "/docs/ @doctocat",
      "/scripts/ @doctocat @octocat",
      "**/logs @octocat",
      "/apps/ @octocat",
      "/apps/github",
      "/apps/ @octocat",
      "/apps/github @doctocat",
      "",
    ].join("\n");
    const rules = parseCodeowners(file);
    expect(rules).toHaveLength(14);
    expect(ownersOf(rules, "README.md")).toEqual(["@global-owner1", "@global-owner2"]);
    expect(ownersOf(rules, "src/app.js")).toEqual(["@js-owner"]);
    expect(ownersOf(rules, "cmd/main.go")).toEqual(["docs@example.com"]);
    // `/docs/` comes after `docs/*`.
    expect(ownersOf(rules, "docs/getting-started.md")).toEqual(["@doctocat"]);
    // `**/logs` comes after `/build/logs/` and `*.txt`.
    expect(ownersOf(rules, "build/logs/out.txt")).toEqual(["@octocat"]);
    expect(ownersOf(rules, "src/apps/a.js")).toEqual(["@octocat"]);
    expect(ownersOf(rules, "scripts/deploy.sh")).toEqual(["@doctocat", "@octocat"]);
    expect(ownersOf(rules, "apps/github/index.js")).toEqual(["@doctocat"]);
  });
});

describe("CODEOWNERS: syntax", () => {
  it("skips comments, blank lines, a BOM and CRLF line ends, and numbers lines from 1", () => {
    const rules = parseCodeowners("\uFEFF# owners\r\n\r\n   \r\n*.md @docs\r\n  # indented comment\r\n");
    expect(rules.map(({ pattern, owners, line }) => ({ pattern, owners, line }))).toEqual([
      { pattern: "*.md", owners: ["@docs"], line: 4 },
    ]);
  });

  it("ignores lines GitHub does not support: negation, character ranges, ***", () => {
    const rules = parseCodeowners("* @all\n!*.md @nobody\n*.[ch] @c-team\n[Section]\n***.js @stars\n");
    expect(rules.map((rule) => rule.pattern)).toEqual(["*"]);
    expect(ownersOf(rules, "main.c")).toEqual(["@all"]);
  });

  it("ignores a line with an owner that is neither @user, @org/team nor an e-mail", () => {
    const rules = parseCodeowners("* @all\n*.md docs-team\n*.js @web @a/b/c\n");
    expect(rules.map((rule) => rule.pattern)).toEqual(["*"]);
  });

  it("reads \\# and \\  as literal characters of a pattern", () => {
    const rules = parseCodeowners("\\#notes.md @hash\npath\\ with\\ spaces/ @space\n");
    expect(ownersOf(rules, "#notes.md")).toEqual(["@hash"]);
    expect(ownersOf(rules, "path with spaces/a.txt")).toEqual(["@space"]);
    expect(ownersOf(rules, "notes.md")).toEqual([]);
  });

  it("matches ? as one character and keeps regex characters literal", () => {
    const rules = parseCodeowners("file?.txt @q\na+b(c).md @literal\n");
    expect(ownersOf(rules, "file1.txt")).toEqual(["@q"]);
    expect(ownersOf(rules, "file12.txt")).toEqual([]);
    expect(ownersOf(rules, "a+b(c).md")).toEqual(["@literal"]);
    expect(ownersOf(rules, "aab(c).md")).toEqual([]);
  });

  it("is case-sensitive, like GitHub's file system", () => {
    const rules = parseCodeowners("/Docs/ @docs");
    expect(ownersOf(rules, "Docs/a.md")).toEqual(["@docs"]);
    expect(ownersOf(rules, "docs/a.md")).toEqual([]);
  });

  it("accepts paths with a leading / or ./", () => {
    const rules = parseCodeowners("/src/ @src");
    expect(ownersOf(rules, "/src/a.ts")).toEqual(["@src"]);
    expect(ownersOf(rules, "./src/a.ts")).toEqual(["@src"]);
  });

  it("a middle ** matches zero or more directories", () => {
    const rules = parseCodeowners("/a/**/b.txt @ab");
    expect(ownersOf(rules, "a/b.txt")).toEqual(["@ab"]);
    expect(ownersOf(rules, "a/x/y/b.txt")).toEqual(["@ab"]);
    expect(ownersOf(rules, "c/a/b.txt")).toEqual([]);
  });

  it("stays fast on patterns that make backtracking matchers explode", () => {
    const globstars = parseCodeowners(`/x/${"**/".repeat(15)}a/b @deep`);
    expect(ownersOf(globstars, `x/${"a/".repeat(40)}c`)).toEqual([]);
    expect(ownersOf(globstars, "x/q/r/a/b/file")).toEqual(["@deep"]);
    const stars = parseCodeowners(`/x/${"*a".repeat(20)} @stars`);
    expect(ownersOf(stars, `x/${"a".repeat(60)}b`)).toEqual([]);
    expect(ownersOf(stars, `x/${"ba".repeat(20)}`)).toEqual(["@stars"]);
  });

  it("an empty file owns nothing", () => {
    expect(ownersOf(parseCodeowners(""), "a.txt")).toEqual([]);
  });
});

describe("teamsForChanges", () => {
  const rules = parseCodeowners("* @acme/platform\n*.js @acme/web-team\n/api/ @acme/api-team @jdoe\n");

  it("orders owners by the number of changed files they own", () => {
    expect(teamsForChanges(rules, ["api/a.go", "a.js", "b.js", "c/d.js", "README.md"])).toEqual([
      "@acme/web-team",
      "@acme/api-team",
      "@jdoe",
      "@acme/platform",
    ]);
  });

  it("counts a file once however often it is listed, and ignores unowned files", () => {
    const partial = parseCodeowners("*.js @web\n*.go @api");
    expect(teamsForChanges(partial, ["a.go", "a.go", "a.go", "b.js", "c.js", "x.md"])).toEqual([
      "@web",
      "@api",
    ]);
  });

  it("is empty without changed files", () => {
    expect(teamsForChanges(rules, [])).toEqual([]);
  });
});
