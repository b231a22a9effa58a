import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type ReceiverProcess, ROOT, startReceiver } from "./support/receiver-process.js";

/*
 * The dashboard in headless Chromium against the real receiver process (receiver/dist/server.js) on a
 * database seeded by the demo script (`npm run demo -- --seed-only`). Every value the pages show is
 * compared with what the JSON API says; no request may leave 127.0.0.1. Screenshots go to
 * test/artifacts/ (gitignored); the main ones are copied to docs/images/ for the documentation
 * (`UPDATE_DOC_IMAGES=1 npx vitest run test/ui.e2e.test.ts` refreshes them).
 */

const CHROMIUM = "/usr/bin/chromium";
const DEMO_ENTRY = join(ROOT, "receiver/dist/demo.js");
const ARTIFACTS = join(ROOT, "test/artifacts");
const DOC_IMAGES = join(ROOT, "docs/images");
const READ_TOKEN = "e2e-dashboard-read-token";
const run = promisify(execFile);

const dir = mkdtempSync(join(tmpdir(), "sponge-ui-e2e-"));
const database = join(dir, "sponge.db");
const servers: ReceiverProcess[] = [];
const requests: string[] = [];
const pageErrors: string[] = [];
let server: ReceiverProcess;
let browser: BrowserContext;
let page: Page;

const current = z.object({
  version: z.string().nullable(),
  release_id: z.string(),
  person: z.string().nullable(),
});
const releaseDoc = z.looseObject({
  id: z.string(),
  status: z.string(),
  environment: z.string(),
  rollback: z.boolean(),
  references: z.array(z.string()),
  packages: z.array(
    z
      .object({ name: z.string(), version: z.string().nullable(), previous_version: z.string().nullable() })
      .loose(),
  ),
  hosts: z.array(z.object({ name: z.string(), status: z.string() }).loose()),
});
const releaseList = z.object({ releases: z.array(releaseDoc), next_cursor: z.string().nullable() });

async function api<T>(schema: z.ZodType<T>, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${server.url}${path}`, init);
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return schema.parse(await res.json());
}

/**
 * Saves a full-page screenshot to test/artifacts/. The documentation's copies in docs/images/ are written
 * when missing or when UPDATE_DOC_IMAGES=1, so an ordinary test run leaves the working tree clean.
 */
async function shot(name: string, options: { docs?: boolean; target?: Page } = {}) {
  const path = join(ARTIFACTS, `${name}.png`);
  await (options.target ?? page).screenshot({ path, fullPage: true });
  const docs = join(DOC_IMAGES, `${name}.png`);
  if (options.docs && (process.env.UPDATE_DOC_IMAGES === "1" || !existsSync(docs))) copyFileSync(path, docs);
}

/**
 * Evaluates an expression in the page. Written as text: the tests compile without DOM types, and the
 * value comes back from another process, so it is parsed like any input.
 */
async function inBrowser<T>(schema: z.ZodType<T>, expression: string, target: Page = page): Promise<T> {
  return schema.parse(await target.evaluate(expression));
}

/** The texts of a table's header cells. */
function headers(table: string, target: Page = page) {
  return target.locator(`${table} thead th`).allInnerTexts();
}

beforeAll(async () => {
  for (const file of [CHROMIUM, DEMO_ENTRY]) {
    if (!existsSync(file))
      throw new Error(`${file} is missing (chromium: apt-get install chromium; demo: npx tsc -b)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(DOC_IMAGES, { recursive: true });
  const { DEMO_CONFIG_JSON } = await import("../receiver/dist/demo/demo-organisation.js");
  const config = join(dir, "sponge.config.json");
  writeFileSync(config, JSON.stringify(DEMO_CONFIG_JSON));
  const seeded = await run(
    process.execPath,
    [DEMO_ENTRY, "--database", database, "--seed-only", "--days", "95"],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "" },
    },
  );
  expect(seeded.stdout).toMatch(/recorded \d+ releases \(3 still running\)/);
  server = await startReceiver({ SPONGE_DATABASE_URL: `file:${database}`, SPONGE_CONFIG: config });
  servers.push(server);
  browser = await chromium.launchPersistentContext(mkdtempSync(join(dir, "chromium-")), {
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1360, height: 900 },
    colorScheme: "light",
  });
  browser.on("request", (request) => {
    requests.push(request.url());
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  browser.on("weberror", (error) => {
    pageErrors.push(error.error().message);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((receiver) => receiver.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe("the dashboard in a browser", () => {
  it("shows the environments × packages matrix as the API knows it, and a click leads to the release", async () => {
    await page.goto(`${server.url}/`);
    await expect(page.title()).resolves.toBe("Overview · Sponge");
    // Environment names as stored (two names differing only in case are two environments).
    expect(await headers("table.matrix")).toEqual([
      "PACKAGE",
      "development",
      "staging",
      "production",
      "prod-eu",
    ]);
    const rows = await page.locator("table.matrix tbody th[scope=row]").allInnerTexts();
    expect(rows).toHaveLength(13);
    expect(rows).toContain("@acme/storefront");

    const truth = await api(current, "/api/packages/payments-api/current?environment=production");
    const cell = page.locator('a.cell[data-package="payments-api"][data-environment="production"]');
    await expect(cell.locator(".version").innerText()).resolves.toBe(truth.version);
    await expect(cell.locator(".meta").innerText()).resolves.toContain(truth.person ?? "?");
    await expect(cell.getAttribute("href")).resolves.toBe(`/releases/${truth.release_id}`);
    const running = page.locator("#running tbody tr");
    await expect(running.count()).resolves.toBe(3);
    await expect(page.locator("dd[data-running-count]").innerText()).resolves.toBe("3");
    await shot("dashboard", { docs: true });

    await cell.click();
    await page.waitForURL(`**/releases/${truth.release_id}`);
    await expect(page.locator("h1").innerText()).resolves.toContain(
      `payments-api ${truth.version} to production`,
    );
  });

  it("updates the running releases live, without a reload, and the matrix when one finishes", async () => {
    await page.goto(`${server.url}/`);
    await page.evaluate(() => {
      Object.assign(globalThis, { notReloaded: true });
    });
    const started = await api(releaseDoc, "/api/releases", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        packages: ["mobile-bff@v3.0.0"],
        environment: "staging",
        status: "running",
        person: "Noah Fischer",
      }),
    });
    const row = page.locator(`#running tr[data-release-id="${started.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.innerText()).resolves.toContain("mobile-bff");
    await expect(page.locator('[data-live-announce="running"]').innerText()).resolves.toBe(
      "4 releases running",
    );
    await expect(page.locator('[data-live-status="running"]').innerText()).resolves.toMatch(/Live · updated/);

    await api(releaseDoc, `/api/releases/${started.id}/finish`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    await row.waitFor({ state: "detached", timeout: 10_000 });
    const cell = page.locator('a.cell[data-package="mobile-bff"][data-environment="staging"] .version');
    await expect.poll(() => cell.innerText(), { timeout: 10_000 }).toBe("v3.0.0");
    await expect(page.evaluate(() => "notReloaded" in globalThis)).resolves.toBe(true);
  });

  it("filters the history with labelled controls, keeps the filters in the URL and pages with a cursor", async () => {
    await page.goto(`${server.url}/releases`);
    await page.getByLabel("Team").selectOption("payments");
    await page.getByLabel("Status").selectOption("failed");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL((url) => url.search === "?team=payments&status=failed");
    const statuses = await page.locator("table tbody tr td:nth-child(2)").allInnerTexts();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses.map((text) => text.replace(/\s+/g, "")))).toEqual(new Set(["✕failed"]));
    expect(new Set(await page.locator("table tbody tr td:nth-child(6)").allInnerTexts())).toEqual(
      new Set(["payments"]),
    );
    const truth = await api(releaseList, "/api/releases?team=payments&status=failed&limit=500");
    expect(statuses).toHaveLength(truth.releases.length);
    await expect(page.getByLabel("Team").inputValue()).resolves.toBe("payments");
    await shot("releases", { docs: true });

    await page.goto(`${server.url}/releases?environment=development`);
    const firstPage = await page
      .locator("table tbody tr td:first-child a")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(firstPage).toHaveLength(50);
    await page.getByRole("link", { name: "Older →" }).click();
    await page.waitForURL(/environment=development&cursor=/);
    const secondPage = await page
      .locator("table tbody tr td:first-child a")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.some((href) => firstPage.includes(href))).toBe(false);
    await expect(page.getByRole("link", { name: "← Newest" }).isVisible()).resolves.toBe(true);
  });

  it("shows a release: packages with previous versions, hosts, timeline, references as links and logs", async () => {
    const list = await api(releaseList, "/api/releases?environment=production&limit=500");
    const chosen = list.releases.find((r) => r.rollback && r.hosts.length > 1 && r.status === "succeeded");
    expect(chosen, "the demo has a rolled-back production release with hosts").toBeDefined();
    const release = chosen ?? list.releases[0];
    if (!release) throw new Error("no release");
    await page.goto(`${server.url}/releases/${release.id}`);
    const pkg = release.packages[0];
    const firstRow = page.locator("section:has(#packages-heading) tbody tr").first();
    await expect(firstRow.locator("td").nth(0).innerText()).resolves.toBe(pkg?.version ?? "");
    await expect(firstRow.locator("td").nth(1).innerText()).resolves.toBe(pkg?.previous_version ?? "");
    await expect(firstRow.innerText()).resolves.toContain("rollback");
    await expect(page.locator("section:has(#hosts-heading) tbody tr").count()).resolves.toBe(
      release.hosts.length,
    );
    await expect(page.locator(".timeline .bar").count()).resolves.toBe(
      1 + release.packages.length + release.hosts.length,
    );
    const links = await page
      .locator("section:has(#notes-heading) ul a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const github = release.references.find((ref) => /^[\w.-]+\/[\w.-]+#\d+$/.test(ref));
    if (github) {
      const [repo, number] = github.split("#");
      expect(links).toContain(`https://github.com/${repo}/issues/${number}`);
    }
    expect(links).toContain(`/releases?reference=${encodeURIComponent(release.references[0] ?? "")}`);
    await expect(page.locator("table.logs tbody tr").count()).resolves.toBeGreaterThan(3);
    await expect(page.getByRole("link", { name: "Open the CI run" }).getAttribute("href")).resolves.toMatch(
      /^https:\/\//,
    );
    await expect(page.locator("section:has(#inferred-heading)").innerText()).resolves.toContain(
      "environment",
    );
    await shot("release", { docs: true });
  });

  it("draws DORA charts as inline SVG whose headline agrees with their data, per team and environment, and the drift", async () => {
    await page.goto(`${server.url}/dora?range=90d&interval=week`);
    await expect(page.locator("figure.chart svg[role=img]").count()).resolves.toBe(4);
    await shot("dora", { docs: true });
    const headline = await page.locator("#chart-frequency .headline").innerText();
    const total = Number(/(\d+) deployments/.exec(headline)?.[1]);
    await page.locator("#chart-frequency summary").click();
    const perWeek = await page.locator("#chart-frequency details tbody td").allInnerTexts();
    expect(total).toBeGreaterThan(0);
    expect(perWeek.reduce((sum, text) => sum + Number(text), 0)).toBe(total);
    expect(await page.locator("section:has(#by-team) tbody th").allInnerTexts()).toEqual([
      "data",
      "mobile",
      "payments",
      "platform",
      "web",
    ]);
    expect(await page.locator("section:has(#by-environment) tbody th").allInnerTexts()).toEqual([
      "development",
      "staging",
      "production",
      "prod-eu",
    ]);
    const drift = page.locator("section:has(#drift-heading) tbody tr");
    await expect(drift.count()).resolves.toBe(13);
    const ledger = drift.filter({ has: page.locator('th:text-is("ledger")') });
    const staging = await api(current, "/api/packages/ledger/current?environment=staging");
    await expect(ledger.locator("td").first().innerText()).resolves.toContain(staging.version ?? "?");

    await page.getByLabel("Environment", { exact: true }).selectOption("tier:production");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/environment=tier%3Aproduction/);
    await expect(page.locator("h1 + p").innerText()).resolves.toContain("every production-tier environment");
  });

  it("is usable from the keyboard: a skip link first, visible focus, labelled controls", async () => {
    await page.goto(`${server.url}/releases`);
    await page.keyboard.press("Tab");
    const skip = page.locator(":focus");
    await expect(skip.innerText()).resolves.toBe("Skip to content");
    const box = await skip.boundingBox();
    expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
    await page.keyboard.press("Enter");
    await expect(page.locator(":focus").getAttribute("id")).resolves.toBe("main");
    await page.keyboard.press("Tab");
    await expect(
      inBrowser(z.string(), "getComputedStyle(document.activeElement).outlineStyle"),
    ).resolves.not.toBe("none");
    const fields = await page
      .locator("input:not([type=hidden]), select")
      .evaluateAll((all) => all.map((f) => f.id));
    expect(fields.length).toBeGreaterThan(8);
    for (const id of fields) await expect(page.locator(`label[for="${id}"]`).count()).resolves.toBe(1);
  });

  it("says how long ago by the server's clock, in a browser whose clock is ten minutes slow", async () => {
    const started = await api(releaseDoc, "/api/releases", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ packages: ["clock-check@1"], environment: "staging", status: "running" }),
    });
    // A browser of its own: the fake clock belongs to a whole context.
    const slow = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const tab = await slow.newPage();
      await tab.clock.install({ time: Date.now() - 10 * 60_000 });
      await tab.goto(`${server.url}/`);
      const since = tab.locator(`#running tr[data-release-id="${started.id}"] time[data-relative]`);
      await expect(since.innerText()).resolves.toBe("just now");
      // Past the 30-second refresh of the relative times and several live updates.
      await tab.clock.runFor(31_000);
      await expect(since.innerText()).resolves.toMatch(/^(just now|1 min ago)$/);
      // The live status's time is the server's too.
      const status = tab.locator('[data-live-status="running"]');
      await expect.poll(() => status.innerText(), { timeout: 10_000 }).toMatch(/updated/);
      const updated = /updated (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/.exec(await status.innerText())?.[1];
      expect(Math.abs(Date.parse(`${updated?.replace(" ", "T")}Z`) - Date.now())).toBeLessThan(2 * 60_000);
    } finally {
      await slow.close();
      await api(releaseDoc, `/api/releases/${started.id}/finish`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: "cancelled" }),
      });
    }
  });

  it("fits a phone screen and follows the dark colour scheme", async () => {
    const phone = await browser.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.emulateMedia({ colorScheme: "dark" });
    await phone.goto(`${server.url}/`);
    const overflow = inBrowser(
      z.number(),
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      phone,
    );
    await expect(overflow).resolves.toBeLessThanOrEqual(0);
    const background = inBrowser(z.string(), "getComputedStyle(document.body).backgroundColor", phone);
    await expect(background).resolves.toBe("rgb(15, 18, 22)");
    await shot("dashboard-phone-dark", { target: phone });
    // The release history is one card per release on a phone: every column in view, none scrolled away.
    await phone.goto(`${server.url}/releases`);
    for (const label of ["Environment", "Packages", "Person", "Team", "Duration"]) {
      const cell = await phone
        .locator(`table.stack tbody tr td[data-label="${label}"]`)
        .first()
        .boundingBox();
      expect(cell && cell.x + cell.width, label).toBeLessThanOrEqual(390);
    }
    await phone.close();
  });

  it("with SPONGE_PUBLIC_READ=false takes the read token once and keeps it in an HttpOnly cookie", async () => {
    const closed = await startReceiver({
      SPONGE_DATABASE_URL: `file:${database}`,
      SPONGE_PUBLIC_READ: "false",
      SPONGE_TOKENS: `read:${READ_TOKEN}`,
    });
    servers.push(closed);
    const visitor = await browser.newPage();
    const refused = await visitor.goto(`${closed.url}/releases?status=failed`);
    expect(refused?.status()).toBe(401);
    await expect(visitor.locator("[role=alert]").innerText()).resolves.toContain("read scope");

    await visitor.goto(`${closed.url}/releases?status=failed&token=${READ_TOKEN}`);
    expect(visitor.url()).toBe(`${closed.url}/releases?status=failed`);
    await expect(visitor.locator("h1").innerText()).resolves.toBe("Releases");
    const cookie = (await browser.cookies(closed.url)).find((c) => c.name === "sponge_token");
    expect(cookie).toMatchObject({ value: READ_TOKEN, httpOnly: true, sameSite: "Lax", path: "/" });
    await expect(inBrowser(z.string(), "document.cookie", visitor)).resolves.not.toContain("sponge_token");
    const again = await visitor.goto(`${closed.url}/dora`);
    expect(again?.status()).toBe(200);
    await shot("signed-in", { target: visitor });
    await visitor.close();
  });

  it("never asked anything of a host but 127.0.0.1, and no script failed", () => {
    expect(pageErrors).toEqual([]);
    expect(requests.length).toBeGreaterThan(20);
    const elsewhere = requests.filter(
      (url) => !/^http:\/\/127\.0\.0\.1:\d+\//.test(url) && !url.startsWith("data:"),
    );
    expect(elsewhere).toEqual([]);
  });
});

/*
 * Long text must not break the layout: a release with an unbroken note, an 83-character package name, a
 * long host name, a URL reference and long log lines, seen at a laptop's and a phone's width.
 */
describe("the dashboard with long names and text, at 1366×768 and 390×844", () => {
  const LAPTOP = { width: 1366, height: 768 };
  const PHONE = { width: 390, height: 844 };
  const LONG_PACKAGE = "@acme/checkout-experience-platform-internationalisation-and-localisation-bundle-v2x";
  const LONG_HOST = "ip-10-0-12-34.eu-west-1.compute.internal.checkout-blue-green-cluster";
  const URL_REFERENCE =
    "https://issues.example.com/browse/projects/checkout/tickets/PAY-12345?focusedCommentId=998877&page=com.atlassian.comments";
  let releaseId = "";

  /** A new page of the given size at `path`. */
  async function open(size: { width: number; height: number }, path: string): Promise<Page> {
    const target = await browser.newPage();
    await target.setViewportSize(size);
    await target.goto(`${server.url}${path}`);
    return target;
  }

  /** How far the document is wider than the window: 0 when it does not scroll sideways. */
  function sideways(target: Page) {
    return inBrowser(
      z.number(),
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      target,
    );
  }

  async function box(target: Page, selector: string) {
    const found = await target.locator(selector).first().boundingBox();
    if (!found) throw new Error(`${selector} is not shown`);
    return found;
  }

  beforeAll(async () => {
    expect(LONG_PACKAGE).toHaveLength(83);
    const release = await api(releaseDoc, "/api/releases", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        environment: "production",
        packages: [`${LONG_PACKAGE}@v1.2.3`],
        status: "succeeded",
        finished_at: new Date().toISOString(),
        // A person and a team named at length wrap, and the team filter's options do not widen the page.
        person: "Noah Alexander Fischer von Hohenzollern-Sigmaringen und Castellanos de la Vega Montgomery",
        team: "checkout-internationalisation-and-localisation-platform-enablement-guild",
        notes: ["x".repeat(280)],
        references: [URL_REFERENCE, "PAY-1"],
        commits: [{ sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246", message: "a".repeat(200) }],
      }),
    });
    releaseId = release.id;
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/api/releases/${releaseId}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await expect(
      post("hosts", [{ name: LONG_HOST, status: "succeeded", message: "m".repeat(200) }]),
    ).resolves.toMatchObject({ status: 201 });
    await expect(
      post("logs", [
        { level: "info", host: LONG_HOST, message: "pulling image and waiting for the rollout to finish" },
        { level: "info", host: LONG_HOST, message: "y".repeat(300) },
      ]),
    ).resolves.toMatchObject({ status: 201 });
  });

  it("keeps a release page with an unbroken note inside the window, and gives log messages the width on a phone", async () => {
    for (const size of [LAPTOP, PHONE]) {
      const target = await open(size, `/releases/${releaseId}`);
      await expect(sideways(target), `${size.width} px`).resolves.toBeLessThanOrEqual(0);
      const notes = await box(target, "section:has(#notes-heading)");
      const note = await box(target, "section:has(#notes-heading) li");
      expect(note.x + note.width).toBeLessThanOrEqual(notes.x + notes.width);
      const reference = await box(target, "section:has(#notes-heading) ul[aria-labelledby] li");
      expect(reference.x + reference.width).toBeLessThanOrEqual(notes.x + notes.width);
      // On a laptop the tables fit their cards; on a phone a table may scroll inside its card, but a
      // message wraps within the card's width.
      const messageCells = {
        "#hosts-heading": "td:last-child",
        "#commits-heading": "td:nth-child(2)",
        "#logs-heading": "td:last-child",
      };
      for (const [section, message] of Object.entries(messageCells)) {
        const card = await box(target, `section:has(${section})`);
        const table = await box(target, `section:has(${section}) table`);
        if (size === LAPTOP || section === "#logs-heading") {
          expect(table.x + table.width, `${section} at ${size.width} px`).toBeLessThanOrEqual(
            card.x + card.width,
          );
        }
        const widths = await target
          .locator(`section:has(${section}) tbody ${message}`)
          .evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().width));
        expect(Math.max(...widths), `${section} at ${size.width} px`).toBeLessThan(card.width);
      }
      const logs = await box(target, "section:has(#logs-heading)");
      const messages = await target
        .locator("table.logs tbody td:last-child")
        .evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().width));
      expect(messages).toHaveLength(2);
      // The message gets most of the card's width, whatever the host's name.
      for (const width of messages) expect(width).toBeGreaterThan(logs.width * 0.4);
      await shot(`long-text-release-${size.width}`, { target });
      await target.close();
    }
  });

  it("wraps a long package name in the matrix and the releases table, which fits a laptop's width", async () => {
    const laptop = await open(LAPTOP, "/");
    const header = await box(laptop, `table.matrix th[scope=row]:has(a[href*="checkout-experience"])`);
    expect(header.width).toBeLessThan(400);
    const production = await box(
      laptop,
      `a.cell[data-package="${LONG_PACKAGE}"][data-environment="production"]`,
    );
    expect(production.x + production.width).toBeLessThanOrEqual(LAPTOP.width);
    await expect(sideways(laptop)).resolves.toBeLessThanOrEqual(0);
    await laptop.close();

    const phone = await open(PHONE, "/");
    const row = `table.matrix tbody tr:has(a[href*="checkout-experience"])`;
    const narrow = await box(phone, `${row} th`);
    expect(narrow.width).toBeLessThan(PHONE.width / 2);
    // The first environment's column shows beside the sticky package name.
    const firstColumn = await box(phone, `${row} td`);
    expect(firstColumn.x).toBeLessThan(PHONE.width - 100);
    await expect(sideways(phone)).resolves.toBeLessThanOrEqual(0);
    await phone.close();

    const releases = await open(LAPTOP, "/releases");
    const wrap = await box(releases, "section:has(#results-heading) .table-wrap");
    const table = await box(releases, "section:has(#results-heading) table");
    expect(table.width).toBeLessThanOrEqual(wrap.width);
    const withUrl = `section:has(#results-heading) tbody tr:has(a[href*="focusedCommentId"])`;
    const references = await box(releases, `${withUrl} td:last-child`);
    expect(references.width).toBeGreaterThan(200);
    const tall = await box(releases, withUrl);
    expect(tall.height).toBeLessThan(180);
    await expect(sideways(releases)).resolves.toBeLessThanOrEqual(0);
    await releases.close();
  });

  it("fits the DORA page to a phone, with chart labels readable and none cut off", async () => {
    for (const path of ["/dora", "/dora?range=365d&interval=day"]) {
      for (const size of [LAPTOP, PHONE]) {
        const target = await open(size, path);
        const where = `${path} at ${size.width} px`;
        await expect(sideways(target), where).resolves.toBeLessThanOrEqual(0);
        const card = await box(target, "section:has(#drift-heading)");
        const form = await box(target, "section:has(#drift-heading) form");
        expect(form.x + form.width, where).toBeLessThanOrEqual(card.x + card.width);
        const labels = await target.locator("figure.chart svg").evaluateAll((svgs) =>
          svgs.flatMap((svg) => {
            const frame = svg.getBoundingClientRect();
            return [...svg.querySelectorAll("text")]
              .map((text) => text.getBoundingClientRect())
              .filter((rect) => rect.height > 0)
              .map((rect) => ({
                height: rect.height,
                inside: rect.left >= frame.left - 0.5 && rect.right <= frame.right + 0.5,
              }));
          }),
        );
        expect(labels.length, where).toBeGreaterThan(8);
        for (const label of labels) {
          expect(label.height, where).toBeGreaterThanOrEqual(9);
          expect(label.inside, where).toBe(true);
        }
        await target.close();
      }
    }
  });

  it("keeps the drift pair chosen when it is one environment twice", async () => {
    const target = await open(LAPTOP, "/dora?drift_from=staging&drift_to=staging");
    await expect(target.locator("#d-drift_from").inputValue()).resolves.toBe("staging");
    await expect(target.locator("#d-drift_to").inputValue()).resolves.toBe("staging");
    await expect(target.locator("section:has(#drift-heading) .empty").innerText()).resolves.toContain(
      "two different environments",
    );
    await target.close();
  });

  it("says production runs a different version when it got a hotfix staging never had", async () => {
    const staging = await api(current, "/api/packages/notifications/current?environment=staging");
    await api(releaseDoc, "/api/releases", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        environment: "production",
        packages: [`notifications@${staging.version}-hotfix.1`],
        status: "succeeded",
        finished_at: new Date().toISOString(),
      }),
    });
    const target = await open(LAPTOP, "/dora?drift_from=staging&drift_to=production");
    const row = target.locator('section:has(#drift-heading) tbody tr:has(th:text-is("notifications"))');
    const verdict = row.locator("td").last();
    await expect(verdict.innerText()).resolves.toBe("production runs a different version, deployed later");
    await expect(verdict.locator(".drift-behind").count()).resolves.toBe(0);
    await expect(target.locator("section:has(#drift-heading) tbody").innerText()).resolves.not.toContain(
      "0 deployments behind",
    );
    await target.close();
  });
});
