/**
 * Names of build parameters and pipeline variables that may hold credentials. Jenkins
 * already drops password parameters (`ParameterValue.isSensitive()`), but plain string
 * parameters and GitLab variables are often named like this and would otherwise be stored.
 */
const SECRET_NAME =
  /(^|[^a-z])pass([^a-z]|$)|passw|passphrase|secret|token|credential|private[-_]?key|api[-_]?key|access[-_]?key|auth(?!or)/i;

/** Whether a parameter or variable name looks like it holds a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A URL without `user:password@`, which Jenkins and git remotes may carry. */
export function stripUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, "$1");
}

/** Parameters without credential-looking names, values as text. */
export function safeParameters(
  entries: Iterable<readonly [string, string | number | boolean | null | undefined]>,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of entries) {
    if (value === null || value === undefined || isSecretName(name)) continue;
    out[name] = String(value).slice(0, 65_536);
    count += 1;
  }
  return count > 0 ? out : undefined;
}
