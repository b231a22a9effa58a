import { describe, expect, it } from "vitest";
import { InputError } from "../src/input-error.js";
import { parseInputs } from "../src/inputs.js";

function inputs(values: Record<string, string>) {
  return parseInputs((name) => (values[name] ?? "").trim());
}

function failure(values: Record<string, string>): string {
  try {
    inputs(values);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error instanceof Error ? error.message : "";
  }
  throw new Error("expected the inputs to be refused");
}

const base = { url: "https://sponge.example.com/", environment: "production" };

describe("parseInputs", () => {
  it("fills in the documented defaults", () => {
    const parsed = inputs(base);
    expect(parsed).toMatchObject({
      url: "https://sponge.example.com",
      environment: "production",
      mode: "track",
      packages: [],
      oidcAudience: "sponge",
      failOnError: false,
      timeoutMs: 10_000,
      retries: 3,
      jobStatus: undefined,
      token: undefined,
    });
  });

  it("reads packages lines, scoped names included", () => {
    const parsed = inputs({ ...base, packages: "api@1.4.2\n\n  @acme/web@2.0.0-rc.1  \nworker" });
    expect(parsed.packages).toEqual([
      { name: "api", version: "1.4.2" },
      { name: "@acme/web", version: "2.0.0-rc.1" },
      { name: "worker" },
    ]);
  });

  it("refuses a bad packages line, naming the line", () => {
    expect(failure({ ...base, packages: "api@1.0\nweb app@2" })).toContain(
      'input "packages" line 2: expected name@version',
    );
    expect(failure({ ...base, packages: "api@" })).toContain("line 1");
    expect(failure({ ...base, packages: "api@1@2 x" })).toContain("line 1");
  });

  it("refuses package/version together with packages", () => {
    expect(failure({ ...base, packages: "api@1", version: "2" })).toContain('"packages"');
  });

  it("refuses an unknown mode and accepts the four known ones", () => {
    expect(failure({ ...base, mode: "deploy" })).toBe(
      'input "mode" expected one of track, start, finish, record, got "deploy"',
    );
    for (const mode of ["track", "start", "finish", "record", "RECORD"]) {
      expect(inputs({ ...base, mode }).mode).toBe(mode.toLowerCase());
    }
  });

  it("refuses a record that has not ended", () => {
    for (const status of ["running", "queued"]) {
      expect(failure({ ...base, mode: "record", status })).toBe(
        `input "status" is ${status}, but mode "record" records a deployment that already ended: use succeeded, failed or cancelled, or mode "start"`,
      );
    }
    expect(inputs({ ...base, mode: "record", status: "failure" }).status).toBe("failed");
    expect(inputs({ ...base, mode: "start", status: "queued" }).status).toBe("queued");
  });

  it("maps job.status words and refuses others", () => {
    expect(inputs({ ...base, "job-status": "success" }).jobStatus).toBe("succeeded");
    expect(inputs({ ...base, "job-status": "failure" }).jobStatus).toBe("failed");
    expect(inputs({ ...base, "job-status": "cancelled" }).jobStatus).toBe("cancelled");
    expect(failure({ ...base, "job-status": "green" })).toContain(
      'input "job-status" expected success, failure or cancelled',
    );
  });

  it("normalises status words and refuses unknown ones", () => {
    expect(inputs({ ...base, status: "success" }).status).toBe("succeeded");
    expect(failure({ ...base, status: "maybe" })).toContain('input "status"');
  });

  it("requires an http(s) url without credentials", () => {
    expect(failure({ environment: "production" })).toContain('input "url" is required');
    expect(failure({ ...base, url: "ftp://sponge" })).toContain("expected an http(s) URL");
    expect(failure({ ...base, url: "https://user:pw@sponge.example.com" })).toContain(
      "must not contain credentials",
    );
  });

  it("reads booleans the way the runner spells them", () => {
    expect(inputs({ ...base, "fail-on-error": "true" }).failOnError).toBe(true);
    expect(inputs({ ...base, "fail-on-error": "FALSE" }).failOnError).toBe(false);
    expect(failure({ ...base, "fail-on-error": "yes" })).toContain(
      'input "fail-on-error" expected true or false',
    );
  });

  it("reads timeouts and retries within bounds", () => {
    expect(inputs({ ...base, "timeout-seconds": "2.5", retries: "0" })).toMatchObject({
      timeoutMs: 2500,
      retries: 0,
    });
    expect(failure({ ...base, "timeout-seconds": "0" })).toContain('input "timeout-seconds"');
    expect(failure({ ...base, retries: "1.5" })).toContain('input "retries"');
    expect(failure({ ...base, retries: "-1" })).toContain('input "retries"');
  });

  it("splits lists on lines and commas", () => {
    const parsed = inputs({
      ...base,
      references: "PAY-1, PAY-2\nhttps://x.example/1",
      hosts: "web-1\nweb-2",
      platforms: "k8s",
    });
    expect(parsed.references).toEqual(["PAY-1", "PAY-2", "https://x.example/1"]);
    expect(parsed.hosts).toEqual(["web-1", "web-2"]);
    expect(parsed.platforms).toEqual(["k8s"]);
  });

  it("reports every bad input at once", () => {
    const message = failure({ url: "", mode: "x" });
    expect(message).toContain('input "url"');
    expect(message).toContain('input "mode"');
  });
});
