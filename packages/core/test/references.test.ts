import { extractReferences, type ReferenceOptions } from "@sponge/core";
import { describe, expect, it } from "vitest";

const repo: ReferenceOptions = { repository: "acme/pay" };

describe("extractReferences: Jira-style keys", () => {
  it.each([
    ["PAY-12 fix rounding", ["PAY-12"]],
    ["fix rounding (PAY-12)", ["PAY-12"]],
    ["[PAY-12] fix", ["PAY-12"]],
    ["feature/PAY-123-add-thing", ["PAY-123"]],
    ["PAY-1, WEB-22 and OPS2-3.", ["PAY-1", "WEB-22", "OPS2-3"]],
    ["PAY_OPS-4 underscores are allowed in project keys", ["PAY_OPS-4"]],
    ["the same key twice: PAY-1 PAY-1", ["PAY-1"]],
    ["PAY-12: done", ["PAY-12"]],
  ])("%j -> %j", (text, expected) => {
    expect(extractReferences(text)).toEqual(expected);
  });

  it.each([
    ["UTF-8 and UTF-16 encodings"],
    ["hash with SHA-1, SHA-256 or SHA-512 (SHA3-256 too)"],
    ["dates in ISO-8601, charset ISO-8859-1"],
    ["as RFC-2616 says"],
    ["patched CVE-2021-44228"],
    ["X-123 single letter projects do not exist"],
    ["versions V1-2 and v1-2"],
    ["builds for X86-64 and WIN-10, AES-256, TLS-1"],
    ["quarter plans Q3-2024 and H1-2025"],
    ["zero is no issue number: PAY-0, nor a leading zero: PAY-012"],
    ["no keys inside words: abcDEF-12x, ABC-12x, xABC-12, ABC-12_1"],
    ["no version-like tails: ABC-1.2 ABC-1-2"],
    ["no keys in e-mail addresses: me@PAY-12 nor in variables $PAY-12"],
    ["lower case is not a key: pay-12"],
    ["no key in a URL path: https://example.com/docs/PAY-99/page"],
  ])("%j has no key", (text) => {
    expect(extractReferences(text)).toEqual([]);
  });

  it.each(
    "UCS-2 SHA3-256 MD-5 IEEE-754 ECMA-262 ES-2015 PEP-8 JSR-310 JEP-1 CP-1252 WINDOWS-1252 LATIN-1 BASE-64 AES-256 RSA-2048 PKCS-7 FIPS-140 TLS-1 SSL-3 HTTP-2 X86-64 AMD-64 ARM-64 WIN-10 IE-11 UTC-5 GMT-8 MPEG-4 GPT-4 COVID-19 FY-2024 CWE-79".split(
      " ",
    ),
  )("%s (listed in docs/config.md) is not a ticket", (text) => {
    expect(extractReferences(`uses ${text} here`)).toEqual([]);
  });

  it("takes only the configured Jira projects when there are some", () => {
    expect(extractReferences("PAY-1 WEB-2 OPS-3 UTF-8", { jiraProjects: ["PAY", "WEB"] })).toEqual([
      "PAY-1",
      "WEB-2",
    ]);
  });

  it("skips configured ignores, as whole keys or as project prefixes", () => {
    expect(extractReferences("PAY-1 PAY-2 LEGACY-3 NEW-4", { ignore: ["PAY-2", "legacy"] })).toEqual([
      "PAY-1",
      "NEW-4",
    ]);
  });

  it("reads lower-case configured keys in branch names only when asked", () => {
    expect(extractReferences("pay-12-fix-login", { jiraProjects: ["PAY"] })).toEqual([]);
    expect(extractReferences("pay-12-fix-login", { jiraProjects: ["PAY"], anyCase: true })).toEqual([
      "PAY-12",
    ]);
    expect(extractReferences("web-3", { jiraProjects: ["PAY"], anyCase: true })).toEqual([]);
  });
});

describe("extractReferences: issues, pull and merge requests", () => {
  it("qualifies #123 with the repository, and drops it without one", () => {
    expect(extractReferences("fix login (#34)", repo)).toEqual(["acme/pay#34"]);
    expect(extractReferences("Merge pull request #1 from foo/bar", repo)).toEqual(["acme/pay#1"]);
    expect(extractReferences("fix login (#34)")).toEqual([]);
  });

  it("keeps owner/repo#123 as written", () => {
    expect(extractReferences("see other-org/other.repo#9")).toEqual(["other-org/other.repo#9"]);
  });

  it("reads GitHub's GH-123 as an issue of the repository, never as a Jira key", () => {
    expect(extractReferences("GH-5 again", repo)).toEqual(["acme/pay#5"]);
    expect(extractReferences("GH-5 again")).toEqual([]);
  });

  it("reads GitLab merge requests !123 unless told the host has none", () => {
    expect(extractReferences("See merge request !7", { repository: "group/sub/proj" })).toEqual([
      "group/sub/proj!7",
    ]);
    expect(extractReferences("See group/proj!4")).toEqual(["group/proj!4"]);
    expect(extractReferences("feat!: !7 and group/proj!4", { ...repo, mergeRequests: false })).toEqual([]);
  });

  it.each([
    ["HTML entity &#123;"],
    ["colour #12abc"],
    ["anchor page#12"],
    ["path a/#12"],
    ["not an issue #0"],
    ["wow!12"],
  ])("%j has no issue", (text) => {
    expect(extractReferences(text, repo)).toEqual([]);
  });
});

describe("extractReferences: tracker URLs", () => {
  it("keeps GitHub issue and pull request URLs, without their suffix", () => {
    expect(
      extractReferences(
        "https://github.com/acme/pay/pull/42/files and (https://github.com/acme/pay/issues/3#issuecomment-1).",
      ),
    ).toEqual(["https://github.com/acme/pay/pull/42", "https://github.com/acme/pay/issues/3"]);
  });

  it("keeps GitHub Enterprise and GitLab URLs", () => {
    expect(
      extractReferences(
        "https://github.acme.io/acme/pay/pull/1 https://gitlab.com/g/s/p/-/merge_requests/5 https://gitlab.acme.io/g/p/-/issues/6",
      ),
    ).toEqual([
      "https://github.acme.io/acme/pay/pull/1",
      "https://gitlab.com/g/s/p/-/merge_requests/5",
      "https://gitlab.acme.io/g/p/-/issues/6",
    ]);
  });

  it("keeps Jira browse and Linear URLs, and takes their key too", () => {
    expect(extractReferences("https://acme.atlassian.net/browse/PAY-7?focus=1.")).toEqual([
      "https://acme.atlassian.net/browse/PAY-7",
      "PAY-7",
    ]);
    expect(extractReferences("https://jira.acme.io/jira/browse/OPS-2")).toEqual([
      "https://jira.acme.io/jira/browse/OPS-2",
      "OPS-2",
    ]);
    expect(extractReferences("https://linear.app/acme/issue/ENG-12/some-slug")).toEqual([
      "https://linear.app/acme/issue/ENG-12",
      "ENG-12",
    ]);
  });

  it("keeps a Jira URL of another project but not its key when projects are configured", () => {
    expect(extractReferences("https://acme.atlassian.net/browse/OPS-7", { jiraProjects: ["PAY"] })).toEqual([
      "https://acme.atlassian.net/browse/OPS-7",
    ]);
  });

  it("ignores other URLs entirely, keys and #fragments included", () => {
    expect(
      extractReferences(
        "https://example.com/PAY-1#12 https://github.com/acme/pay/blob/main/README.md#L12",
        repo,
      ),
    ).toEqual([]);
  });
});

describe("extractReferences: order and mixtures", () => {
  it("returns references in order of appearance without duplicates", () => {
    const text = [
      "PAY-12: fix rounding (#34)",
      "",
      "Uses UTF-8 and SHA-256 now; see https://github.com/acme/pay/pull/34 and PAY-12.",
      "Refs: other/repo#9, GH-34",
    ].join("\n");
    expect(extractReferences(text, repo)).toEqual([
      "PAY-12",
      "acme/pay#34",
      "https://github.com/acme/pay/pull/34",
      "other/repo#9",
    ]);
  });

  it("handles empty and huge text", () => {
    expect(extractReferences("")).toEqual([]);
    const huge = `${"word ".repeat(200_000)}PAY-1`;
    expect(extractReferences(huge)).toEqual(["PAY-1"]);
  });
});
