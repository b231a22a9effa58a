/** The CLI's environment variables, read once. */
export interface CliEnv {
  url: string;
  token: string | undefined;
  releaseId: string | undefined;
}

export const DEFAULT_URL = "http://127.0.0.1:8080";

/** Reads `SPONGE_URL`, `SPONGE_TOKEN` and `SPONGE_RELEASE_ID`; blank values count as unset. */
export function readCliEnv(env: Readonly<Record<string, string | undefined>>): CliEnv {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  return {
    url: read("SPONGE_URL") ?? DEFAULT_URL,
    token: read("SPONGE_TOKEN"),
    releaseId: read("SPONGE_RELEASE_ID"),
  };
}
