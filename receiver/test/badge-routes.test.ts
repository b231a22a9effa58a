import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, harness, READ_TOKEN } from "./harness.js";

const NOW = new Date("2024-06-01T00:00:00Z");

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function deploy(body: Record<string, unknown>): Promise<void> {
  const res = await h.request("/api/releases", { method: "POST", json: body });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** Parses an SVG badge as XML and returns its accessible title and every text node it draws. */
function readSvg(svg: string): { title: string; texts: string[]; fills: string[] } {
  expect(XMLValidator.validate(svg)).toBe(true);
  const texts: string[] = [];
  const fills: string[] = [];
  let title = "";
  const walk = (node: unknown, name: string) => {
    if (typeof node === "string" || typeof node === "number") {
      if (name === "title") title = String(node);
      if (name === "text") texts.push(String(node));
      return;
    }
    if (Array.isArray(node)) {
      for (const child of node) walk(child, name);
      return;
    }
    if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "@_fill" && typeof value === "string") fills.push(value);
        if (key === "#text") walk(value, name);
        else if (!key.startsWith("@_")) walk(value, key);
      }
    }
  };
  const document: unknown = new XMLParser({ ignoreAttributes: false }).parse(svg);
  expect(document).toHaveProperty("svg");
  walk(document, "");
  return { title, texts, fills };
}

describe("SVG badges", () => {
  it("shows the current version as a well-formed SVG, green after a success", async () => {
    h = await harness({ now: () => NOW });
    await deploy({ package: "@acme/api", version: "2.4.1", environment: "production", status: "succeeded" });
    const res = await h.request("/badge/%40acme%2Fapi.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    const svg = readSvg(await res.text());
    // Default label: the environment.
    expect(svg.title).toBe("production: 2.4.1");
    expect(svg.texts).toContain("2.4.1");
    expect(svg.texts).toContain("production");
    expect(svg.fills).toContain("#4b0"); // badge-maker 6: brightgreen
  });

  it("takes the environment, label and style from the query; `/` may be left unencoded", async () => {
    h = await harness({ now: () => NOW });
    await deploy({ package: "@acme/api", version: "1.0.0", environment: "staging", status: "succeeded" });
    const res = await h.request(
      "/badge/@acme/api.svg?environment=staging&label=api%20on%20staging&style=flat-square",
    );
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(readSvg(body).title).toBe("api on staging: 1.0.0");
    // flat-square has no rounded corners: no clip path with rx.
    expect(body).not.toMatch(/rx="3"/);
    const flat = await (
      await h.request("/badge/@acme/api.svg?environment=staging&label=api%20on%20staging")
    ).text();
    expect(flat).toMatch(/rx="3"/);
  });

  it("colours by the latest deployment: red after a failure, blue while one runs", async () => {
    h = await harness({ now: () => NOW });
    await deploy({
      package: "web",
      version: "1",
      environment: "production",
      status: "succeeded",
      started_at: "2024-05-01T10:00:00Z",
      finished_at: "2024-05-01T10:10:00Z",
    });
    await deploy({
      package: "web",
      version: "2",
      environment: "production",
      status: "failed",
      started_at: "2024-05-02T10:00:00Z",
      finished_at: "2024-05-02T10:10:00Z",
    });
    let svg = readSvg(await (await h.request("/badge/web.svg")).text());
    // The message stays the version that runs; the colour says the last attempt failed.
    expect(svg.title).toBe("production: 1");
    expect(svg.fills).toContain("#dd4343"); // red
    expect(svg.fills).not.toContain("#4b0");
    await deploy({
      package: "web",
      version: "3",
      environment: "production",
      status: "running",
      started_at: "2024-05-03T10:00:00Z",
    });
    svg = readSvg(await (await h.request("/badge/web.svg")).text());
    expect(svg.title).toBe("production: 1");
    expect(svg.fills).toContain("#007ec6"); // blue
    // A cancelled attempt changes nothing.
    await deploy({
      package: "web",
      version: "4",
      environment: "production",
      status: "cancelled",
      started_at: "2024-05-04T10:00:00Z",
      finished_at: "2024-05-04T10:01:00Z",
    });
    expect(readSvg(await (await h.request("/badge/web.svg")).text()).fills).toContain("#007ec6");
  });

  it("gives a never-deployed package a grey 'not deployed' badge with 200", async () => {
    h = await harness({ now: () => NOW });
    await deploy({ package: "web", version: "1", environment: "staging", status: "succeeded" });
    for (const path of ["/badge/nothing-here.svg", "/badge/web.svg?environment=production"]) {
      const res = await h.request(path);
      expect(res.status).toBe(200);
      const svg = readSvg(await res.text());
      expect(svg.title).toBe("production: not deployed");
      expect(svg.fills).toContain("#939393"); // lightgrey
    }
  });

  it("answers 304 to a matching If-None-Match and changes its ETag when the version changes", async () => {
    h = await harness({ now: () => NOW });
    await deploy({
      package: "web",
      version: "1",
      environment: "production",
      status: "succeeded",
      finished_at: "2024-05-01T00:00:00Z",
    });
    const first = await h.request("/badge/web.svg");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/); // strong
    const again = await h.request("/badge/web.svg", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("public, max-age=60");
    // Lists and weak forms of the same tag match too; another tag does not.
    expect(
      (await h.request("/badge/web.svg", { headers: { "If-None-Match": `"other", W/${etag}` } })).status,
    ).toBe(304);
    expect((await h.request("/badge/web.svg", { headers: { "If-None-Match": '"other"' } })).status).toBe(200);

    await deploy({
      package: "web",
      version: "2",
      environment: "production",
      status: "succeeded",
      finished_at: "2024-05-02T00:00:00Z",
    });
    const changed = await h.request("/badge/web.svg", { headers: { "If-None-Match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(readSvg(await changed.text()).title).toBe("production: 2");
  });

  it("refuses a bad style with 422 and a name without .svg or .json with 404", async () => {
    h = await harness({ now: () => NOW });
    const bad = await h.request("/badge/web.svg?style=round");
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      error: { code: "invalid_field", details: [{ field: "style" }] },
    });
    for (const path of ["/badge/web.png", "/badge/web", "/badge/.svg"]) {
      const res = await h.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("needs a read token and is cached privately when reads are not public", async () => {
    h = await harness({
      now: () => NOW,
      config: {
        auth: { tokens: [{ scope: "read", token: READ_TOKEN }], webhookSecrets: false, publicRead: false },
      },
    });
    expect((await h.request("/badge/web.svg", { token: null })).status).toBe(401);
    const res = await h.request("/badge/web.svg", { token: READ_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
  });
});

describe("shields.io endpoint badges", () => {
  it("follows the endpoint schema", async () => {
    h = await harness({ now: () => NOW });
    await deploy({ package: "@acme/api", version: "3.1.0", environment: "production", status: "succeeded" });
    const res = await h.request("/badge/%40acme%2Fapi.json?label=api&style=for-the-badge");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.json()).toEqual({
      schemaVersion: 1,
      label: "api",
      message: "3.1.0",
      color: "brightgreen",
      style: "for-the-badge",
    });
    const etag = res.headers.get("etag") ?? "";
    expect(
      (
        await h.request("/badge/%40acme%2Fapi.json?label=api&style=for-the-badge", {
          headers: { "If-None-Match": etag },
        })
      ).status,
    ).toBe(304);
    // The SVG of the same state has its own tag.
    expect(
      (await h.request("/badge/%40acme%2Fapi.svg?label=api&style=for-the-badge")).headers.get("etag"),
    ).not.toBe(etag);
  });

  it("reports a never-deployed package in grey with 200", async () => {
    h = await harness({ now: () => NOW });
    const res = await h.request("/badge/ghost.json?environment=staging");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      schemaVersion: 1,
      label: "staging",
      message: "not deployed",
      color: "lightgrey",
    });
  });
});
