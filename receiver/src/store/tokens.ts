import { createHash, randomBytes } from "node:crypto";
import { uuidv7 } from "uuidv7";
import type { Sql } from "./database.js";

export type Scope = "read" | "write" | "admin";

export interface TokenInfo {
  id: string;
  name: string | null;
  scope: Scope;
  created_at: string;
  last_used_at: string | null;
}

/** Tokens are stored as SHA-256 digests: a leaked database does not leak credentials. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Creates a token; the plain value is returned once and never stored. */
export async function createToken(
  sql: Sql,
  scope: Scope,
  name: string | undefined,
  now: string,
): Promise<TokenInfo & { token: string }> {
  const token = `spg_${randomBytes(24).toString("base64url")}`;
  const id = uuidv7();
  await sql.run("INSERT INTO tokens (id, name, scope, hash, created_at) VALUES (?, ?, ?, ?, ?)", [
    id,
    name ?? null,
    scope,
    hashToken(token),
    now,
  ]);
  return { id, name: name ?? null, scope, created_at: now, last_used_at: null, token };
}

export async function listTokens(sql: Sql): Promise<TokenInfo[]> {
  return sql.all<TokenInfo>(
    "SELECT id, name, scope, created_at, last_used_at FROM tokens ORDER BY created_at",
  );
}

export async function deleteToken(sql: Sql, id: string): Promise<boolean> {
  return (await sql.run("DELETE FROM tokens WHERE id = ?", [id])).changes > 0;
}

export async function countTokens(sql: Sql): Promise<number> {
  return (await sql.get<{ n: number }>("SELECT count(*) AS n FROM tokens"))?.n ?? 0;
}

/** Looks a token up by its digest (an indexed equality on the hash, not a compare of secrets). */
export async function findToken(sql: Sql, token: string): Promise<{ id: string; scope: Scope } | undefined> {
  return sql.get<{ id: string; scope: Scope }>("SELECT id, scope FROM tokens WHERE hash = ?", [
    hashToken(token),
  ]);
}

/** Records when a stored token was last used; never moves the time backwards. */
export async function touchToken(sql: Sql, id: string, at: string): Promise<void> {
  await sql.run(
    "UPDATE tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
    [at, id, at],
  );
}
