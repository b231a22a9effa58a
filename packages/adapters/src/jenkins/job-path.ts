/**
 * The full name of a Jenkins job (`folder/job`) from its URL path `job/folder/job/name/`.
 * The notification's `name` alone is the last segment, which is not unique across folders.
 *
 * @example jobPath("job/team/job/deploy%20api/", "deploy api") // "team/deploy api"
 */
export function jobPath(url: string | undefined, name: string): string {
  if (url === undefined) return name;
  const segments = url.split("/").filter((segment) => segment !== "");
  const names: string[] = [];
  for (let index = 0; index < segments.length; index += 1) {
    if (segments[index] === "job" && segments[index + 1] !== undefined) {
      names.push(decodeSegment(segments[index + 1] ?? ""));
      index += 1;
    }
  }
  return names.length > 0 ? names.join("/") : name;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `host[:port]` of a Jenkins build URL, so equal job names on two Jenkins stay apart. */
export function jenkinsHost(fullUrl: string | undefined): string | undefined {
  if (fullUrl === undefined || !URL.canParse(fullUrl)) return undefined;
  const host = new URL(fullUrl).host;
  return host === "" ? undefined : host.toLowerCase();
}
