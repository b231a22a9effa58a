import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import type { OidcVerifier } from "../src/auth/authenticator.js";
import { createOidcVerifier, isAllowed } from "../src/auth/oidc.js";
import { receiverConfig } from "../src/receiver-config.js";
import { Store } from "../src/store/store.js";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

const KID = "test-key-1";
const AUDIENCE = "sponge";

/** A local issuer: serves its key set at GitHub's path and counts the fetches. */
let issuer = "";
let jwksServer: Server;
let jwksFetches = 0;
let signingKey: PrivateKey;
let strangerKey: PrivateKey;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair("RS256")).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: "RS256", use: "sig" };
  jwksServer = createServer((req, res) => {
    if (req.url !== "/.well-known/jwks") {
      res.writeHead(404).end();
      return;
    }
    jwksFetches++;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sponge-oidc-"));
  store = await Store.open({ url: `file:${join(dir, "sponge.db")}`, synchronous: "NORMAL" });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The claims GitHub puts in an Actions ID token (trimmed to what matters here). */
function githubClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    repository: "acme/api",
    repository_id: "1001",
    repository_owner: "acme",
    repository_owner_id: "501",
    ref: "refs/heads/main",
    sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
    run_id: "42",
    actor: "jane",
    ...overrides,
  };
}

interface TokenOptions {
  claims?: JWTPayload;
  issuer?: string;
  audience?: string;
  expiresAt?: number;
  notBefore?: number;
  key?: PrivateKey;
  kid?: string;
}

async function token(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(options.claims ?? githubClaims())
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? KID, typ: "JWT" })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject("repo:acme/api:ref:refs/heads/main")
    .setIssuedAt(now - 10)
    .setNotBefore(options.notBefore ?? now - 10)
    .setExpirationTime(options.expiresAt ?? now + 300)
    .sign(options.key ?? signingKey);
}

function verifier(allow: readonly string[] = ["acme/*"]): OidcVerifier {
  return createOidcVerifier({ issuer, audience: AUDIENCE, allow, store });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected the token to be refused");
}

describe("createOidcVerifier", () => {
  it("accepts a token signed by the issuer for an allowed repository", async () => {
    const principal = await verifier()(await token());
    expect(principal).toEqual({ kind: "oidc", scope: "write", subject: "acme/api", repository: "acme/api" });
  });

  it("matches the allow list case-insensitively, for owner/* and owner/repo entries", async () => {
    const claims = githubClaims({ repository: "Acme/API" });
    expect((await verifier(["ACME/api"])(await token({ claims }))).repository).toBe("Acme/API");
    expect((await verifier(["acme/*"])(await token({ claims }))).repository).toBe("Acme/API");
    expect(isAllowed(["acme/*"], "acmeco/api")).toBe(false);
    expect(isAllowed(["acme/api"], "acme/api-two")).toBe(false);
  });

  it("refuses a repository that is not allowed", async () => {
    const message = await refusal(verifier(["acme/web", "other/*"])(await token()));
    expect(message).toBe("repository acme/api is not in SPONGE_GITHUB_OIDC_ALLOW");
  });

  it("refuses a wrong audience", async () => {
    const message = await refusal(verifier()(await token({ audience: "someone-else" })));
    expect(message).toBe("the OIDC token's audience is not sponge");
  });

  it("refuses a wrong issuer", async () => {
    const message = await refusal(verifier()(await token({ issuer: "https://token.example.com" })));
    expect(message).toBe(`the OIDC token was not issued by ${issuer}`);
  });

  it("refuses an expired token and one not valid yet", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await token({ expiresAt: now - 600 });
    expect(await refusal(verifier()(expired))).toBe("the OIDC token has expired");
    const early = await token({ notBefore: now + 600, expiresAt: now + 900 });
    expect(await refusal(verifier()(early))).toBe("the OIDC token is not valid yet");
  });

  it("refuses a token signed with another key under the issuer's key id", async () => {
    const message = await refusal(verifier()(await token({ key: strangerKey })));
    expect(message).toBe("the OIDC token's signature is not valid");
  });

  it("refuses a tampered payload", async () => {
    const [header, , signature] = (await token()).split(".");
    const forged = Buffer.from(
      JSON.stringify({
        ...githubClaims({ repository: "acme/web" }),
        iss: issuer,
        aud: AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 300,
      }),
    ).toString("base64url");
    const message = await refusal(verifier()(`${header}.${forged}.${signature}`));
    expect(message).toBe("the OIDC token's signature is not valid");
  });

  it("refuses a key id the issuer does not publish, and garbage", async () => {
    expect(await refusal(verifier()(await token({ kid: "unknown" })))).toBe(
      "the OIDC token was signed with a key the issuer does not publish",
    );
    expect(await refusal(verifier()("abc.def.ghi"))).toBe("the OIDC token is malformed");
  });

  it("refuses a token without GitHub's repository ids", async () => {
    const claims = githubClaims();
    delete claims.repository_id;
    expect(await refusal(verifier()(await token({ claims })))).toBe("the token has no repository_id claim");
  });

  it("pins repository ids the first time and refuses a recreated repository of the same name", async () => {
    const verify = verifier();
    await verify(await token());
    await verify(await token());
    const recreated = githubClaims({ repository: "ACME/api", repository_id: "9999" });
    const message = await refusal(verify(await token({ claims: recreated })));
    expect(message).toContain("repository ACME/api was first seen with other ids (repository_id 1001");
    const rows = await store.reader.all<{ repository: string; repository_id: string; owner_id: string }>(
      "SELECT repository, repository_id, owner_id FROM oidc_repositories",
    );
    expect(rows).toEqual([{ repository: "acme/api", repository_id: "1001", owner_id: "501" }]);
  });

  it("refuses a new repository of a pinned owner whose owner id changed (a recreated account)", async () => {
    const verify = verifier();
    await verify(await token());
    const claims = githubClaims({
      repository: "acme/web",
      repository_id: "2002",
      repository_owner_id: "777",
    });
    expect(await refusal(verify(await token({ claims })))).toContain(
      "owner acme was first seen with repository_owner_id 501",
    );
    const sameOwner = githubClaims({ repository: "acme/web", repository_id: "2002" });
    expect((await verify(await token({ claims: sameOwner }))).repository).toBe("acme/web");
  });

  it("writes only the first time it sees a repository", async () => {
    let commits = 0;
    const counted = await Store.open({ url: `file:${join(dir, "counted.db")}`, synchronous: "NORMAL" });
    counted.writes.onCommit(() => commits++);
    try {
      const verify = createOidcVerifier({ issuer, audience: AUDIENCE, allow: ["acme/*"], store: counted });
      for (let i = 0; i < 4; i++) await verify(await token());
      expect(commits).toBe(1);
    } finally {
      await counted.close();
    }
  });

  it("fetches the key set once and serves later tokens from the cache", async () => {
    const verify = verifier();
    const before = jwksFetches;
    for (let i = 0; i < 5; i++) await verify(await token());
    expect(jwksFetches - before).toBe(1);
  });

  it("never puts the token in a refusal", async () => {
    const jwt = await token({ audience: "nope" });
    const message = await refusal(verifier()(jwt));
    for (const part of jwt.split(".")) expect(message).not.toContain(part);
  });
});

describe("OIDC through the app", () => {
  async function app() {
    const config = receiverConfig({
      auth: { tokens: [], oidc: verifier(["acme/*"]), webhookSecrets: false, publicRead: true },
    });
    return createApp({ store, config, logError: () => {} }).app;
  }

  /** The app taking OIDC tokens of acme/* and the write token `write-token-0000000001`. */
  function appWithWriteToken(on: Store) {
    const config = receiverConfig({
      auth: {
        tokens: [{ scope: "write", token: "write-token-0000000001" }],
        oidc: verifier(["acme/*"]),
        webhookSecrets: false,
        publicRead: true,
      },
    });
    return createApp({ store: on, config, logError: () => {} }).app;
  }

  async function post(jwt: string, body: unknown) {
    const { request } = await app();
    return request("/api/releases", {
      method: "POST",
      headers: { authorization: `Bearer ${jwt}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  it("creates a release for the token's own repository", async () => {
    const res = await post(await token(), { environment: "production", packages: ["api@1.2.3"] });
    expect(res.status).toBe(201);
    const release = (await res.json()) as { repository: string; environment: string };
    expect(release.repository).toBe("acme/api");
    expect(release.environment).toBe("production");
  });

  it("refuses another repository's release with 403", async () => {
    const res = await post(await token(), { environment: "production", repository: "acme/web" });
    expect(res.status).toBe(403);
  });

  it("never changes another repository's release, or one with no repository, whatever the route", async () => {
    // The write thread, as in the receiver's process: the caller's repository crosses to it with the write.
    const threaded = await Store.open({
      url: `file:${join(dir, "threaded.db")}`,
      synchronous: "NORMAL",
      writeThread: true,
    });
    try {
      const { request } = appWithWriteToken(threaded);
      const web = `Bearer ${await token({ claims: githubClaims({ repository: "acme/web", repository_id: "1002" }) })}`;
      const writer = "Bearer write-token-0000000001";
      const send = async (authorization: string, method: string, path: string, body?: unknown) => {
        const res = await request(path, {
          method,
          headers: { authorization, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const deployed = { environment: "production", status: "succeeded" };
      const api = await send(writer, "POST", "/api/releases", {
        ...deployed,
        key: "api-rel",
        repository: "acme/api",
        packages: ["api@1.0.0"],
      });
      const bare = await send(writer, "POST", "/api/releases", { key: "no-repo", packages: ["tool@1"] });
      expect([api.status, bare.status]).toEqual([201, 201]);

      const refusals = [
        // A key naming another repository's release, or one with none, is not merged into.
        await send(web, "POST", "/api/releases", { key: "api-rel", packages: ["api@666"] }),
        await send(web, "POST", "/api/releases", { key: "no-repo", status: "failed" }),
        await send(web, "POST", "/release", { key: "api-rel", packages: ["api@777"] }),
        await send(web, "POST", "/release", { repository: "acme/api", packages: ["api@777"] }),
        // Changes by id.
        await send(web, "PATCH", `/api/releases/${api.body.id}`, { status: "failed" }),
        await send(web, "POST", `/api/releases/${bare.body.id}/finish`, {}),
        await send(web, "POST", `/api/releases/${api.body.id}/packages`, ["api@666"]),
        await send(web, "POST", `/release/${api.body.id}/packages`, ["api@666"]),
        await send(web, "PATCH", `/api/releases/${api.body.id}/packages/api`, { status: "failed" }),
        await send(web, "POST", `/api/releases/${api.body.id}/hosts`, [{ name: "h1", status: "failed" }]),
        await send(web, "POST", `/api/releases/${api.body.id}/logs`, ["pwned"]),
        await send(web, "POST", "/results", {
          release_id: api.body.id,
          host: "h1",
          success: false,
          log: "x",
        }),
      ];
      expect(refusals.map((r) => r.status)).toEqual(refusals.map(() => 403));
      expect((refusals[0]?.body.error as { message: string }).message).toBe(
        `this OIDC token may only write releases of acme/web; release "${api.body.id}" belongs to "acme/api"`,
      );
      expect((refusals[1]?.body.error as { message: string }).message).toContain("belongs to no repository");

      // Nothing changed: documents, current version, hosts, logs.
      expect((await send(writer, "GET", `/api/releases/${api.body.id}`)).body).toEqual(api.body);
      expect((await send(writer, "GET", `/api/releases/${bare.body.id}`)).body).toEqual(bare.body);
      expect((await send(writer, "GET", "/api/packages/api/current")).body).toMatchObject({
        version: "1.0.0",
      });
      expect((await send(writer, "GET", `/api/releases/${api.body.id}/logs`)).body).toEqual({
        logs: [],
        next_after: null,
      });
      const count = await threaded.reader.get<{ n: number }>("SELECT COUNT(*) AS n FROM releases");
      expect(count?.n).toBe(2);

      // Nor take another repository's action keys, which are predictable, before its action does.
      const squat = await send(web, "POST", "/api/releases", {
        key: "github-action:ACME/api:9:1:deploy:api:production",
      });
      expect(squat.status).toBe(403);
      expect((squat.body.error as { message: string }).message).toBe(
        "this OIDC token may only use the action's keys of acme/web (github-action:acme/web:…)",
      );
      const planted = await send(web, "POST", "/api/releases", {
        key: "github:186853002:deployment:145988746",
      });
      expect(planted.status).toBe(403);
      expect((planted.body.error as { message: string }).message).toBe(
        "this OIDC token may not use the webhooks' keys (github:…), which any repository could predict",
      );
      const ownKey = await send(web, "POST", "/api/releases", {
        key: "github-action:Acme/Web:9:1:deploy:web:production",
      });
      expect(ownKey.status).toBe(201);

      // Its own releases it may merge into and change, under any key.
      const own = await send(web, "POST", "/api/releases", { key: "web-rel", packages: ["web@1"] });
      const again = await send(web, "POST", "/api/releases", { key: "web-rel", status: "succeeded" });
      expect([own.status, again.status, again.body.repository]).toEqual([201, 200, "acme/web"]);
      expect((await send(web, "POST", `/api/releases/${own.body.id}/hosts`, [{ name: "h1" }])).status).toBe(
        201,
      );
    } finally {
      await threaded.close();
    }
  });

  it("refuses an OIDC token at a webhook, which could name any repository", async () => {
    const { request } = await app();
    const res = await request("/webhooks/cdevents", {
      method: "POST",
      headers: { authorization: `Bearer ${await token()}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      "an OIDC token may write only its own repository's releases, through /api/releases; /webhooks/cdevents needs SPONGE_CDEVENTS_TOKEN or a write token",
    );
  });

  it("removes a package only where the token's own repository deployed it", async () => {
    const { request } = appWithWriteToken(store);
    const jwt = await token();
    const write = (authorization: string, body: unknown) =>
      request("/api/releases", {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const deployed = { environment: "production", status: "succeeded" };
    expect((await write(`Bearer ${jwt}`, { ...deployed, packages: ["api@1.2.3"] })).status).toBe(201);
    const other = { ...deployed, packages: ["web@9.0.0"], repository: "acme/web" };
    expect((await write("Bearer write-token-0000000001", other)).status).toBe(201);
    const remove = (name: string) =>
      request(`/api/packages/${name}/current?environment=production`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${jwt}` },
      });

    const refused = await remove("web");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      "this OIDC token may only remove what acme/api deployed",
    );
    expect((await remove("api")).status).toBe(200);
    expect((await remove("api")).status).toBe(200);
    const left = await store.reader.all<{ package: string }>("SELECT package FROM current_versions");
    expect(left).toEqual([{ package: "web" }]);
  });

  it.each([
    ["wrong audience", { audience: "other" }, "audience"],
    ["wrong issuer", { issuer: "https://evil.example" }, "not issued by"],
    ["expired", { expiresAt: Math.floor(Date.now() / 1000) - 600 }, "expired"],
    ["bad signature", { key: "stranger" }, "signature"],
    ["repository not allowed", { claims: { repository: "evil/api" } }, "not in SPONGE_GITHUB_OIDC_ALLOW"],
  ] as const)("answers 401 for a token with a %s", async (_name, options, reason) => {
    const { key, claims, ...rest } = options as {
      key?: "stranger";
      claims?: JWTPayload;
      audience?: string;
      issuer?: string;
      expiresAt?: number;
    };
    const jwt = await token({
      ...rest,
      ...(key ? { key: strangerKey } : {}),
      ...(claims ? { claims: githubClaims(claims) } : {}),
    });
    const res = await post(jwt, { environment: "production" });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unauthorized");
    expect(body.error.message).toContain(reason);
    const count = await store.reader.get<{ n: number }>("SELECT COUNT(*) AS n FROM releases");
    expect(count?.n).toBe(0);
  });
});
