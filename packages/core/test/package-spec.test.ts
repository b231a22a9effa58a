import { describeIssues, packageInput, packageList, releaseInput, splitPackageSpec } from "@sponge/core";
import { describe, expect, it } from "vitest";

describe("splitPackageSpec", () => {
  it.each([
    ["api@1.4.0", { name: "api", version: "1.4.0" }],
    ["api", { name: "api" }],
    ["api@", { name: "api" }],
    [" api @ 2 ", { name: "api", version: "2" }],
    ["@acme/api@3.0.0", { name: "@acme/api", version: "3.0.0" }],
    ["@acme/api", { name: "@acme/api" }],
    ["@1.0", { name: "", version: "1.0" }],
    ["@", { name: "" }],
    ["", { name: "" }],
  ])("%j -> %j", (spec, expected) => {
    expect(splitPackageSpec(spec)).toEqual(expected);
  });
});

describe("package strings", () => {
  it.each([[""], ["  "], ["@"], ["@1.0"]])("refuse %j, whose package name is empty", (spec) => {
    const parsed = releaseInput.safeParse({ packages: ["api@1", spec] });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(describeIssues(parsed.error)).toEqual([
      {
        field: "packages.1",
        message: `the package name is empty; expected name or name@version, got ${JSON.stringify(spec)}`,
      },
    ]);
  });

  it("refuse an empty name given alone, as in a package list body", () => {
    const parsed = packageList.safeParse("@2.0");
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(describeIssues(parsed.error)[0]?.message).toMatch(/^the package name is empty/);
  });

  it("accept names with and without versions", () => {
    expect(packageInput.parse("@acme/web@2.0.0")).toEqual({ name: "@acme/web", version: "2.0.0" });
    expect(packageList.parse(["api", "worker@7"])).toEqual([
      { name: "api" },
      { name: "worker", version: "7" },
    ]);
  });
});
