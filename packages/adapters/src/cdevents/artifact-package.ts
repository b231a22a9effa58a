import { PackageURL } from "packageurl-js";
import { cleanText } from "../fields.js";

/**
 * The package a CDEvents `artifactId` names. The spec makes artifact ids package URLs
 * (https://github.com/package-url/purl-spec): the name is `namespace/name`
 * (`pkg:npm/%40acme/api@1.2.0` -> `@acme/api`), the version is the `tag` qualifier when
 * present (an OCI digest is exact but unreadable), else the purl version.
 * Producers that send a container image reference instead (`nginx:1.25`, `ghcr.io/acme/api@sha256:…`)
 * get the image's name and tag (or digest), named as `pkg:oci` would name them. Undefined otherwise.
 *
 * @example artifactPackage("pkg:oci/myapp@sha256%3A0b31?tag=v1.2") // { name: "myapp", version: "v1.2" }
 */
export function artifactPackage(artifactId: string): { name: string; version?: string } | undefined {
  let purl: PackageURL;
  try {
    purl = PackageURL.fromString(artifactId);
  } catch {
    return imagePackage(artifactId);
  }
  const name = cleanText(purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name, 1000);
  if (name === undefined) return undefined;
  const tag = purl.qualifiers?.tag;
  const version = cleanText(typeof tag === "string" && tag.trim() !== "" ? tag : purl.version, 1000);
  return version === undefined ? { name } : { name, version };
}

/** One path component of an image name (https://github.com/distribution/reference). */
const IMAGE_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * An image reference with a tag or a digest: `[registry/]path[:tag][@digest]`. The name is the last path
 * component, as `pkg:oci` names an image; a reference without tag and digest is not taken for one (an id
 * such as `build-123` is not an image).
 *
 * @example imagePackage("ghcr.io/acme/api:v2.1") // { name: "api", version: "v2.1" }
 */
function imagePackage(reference: string): { name: string; version: string } | undefined {
  const [named = "", digest, ...rest] = reference.trim().split("@");
  if (rest.length > 0 || (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest))) return undefined;
  const slash = named.lastIndexOf("/");
  const colon = named.lastIndexOf(":");
  const tag = colon > slash ? named.slice(colon + 1) : undefined;
  if (tag !== undefined && !/^\w[\w.-]{0,127}$/.test(tag)) return undefined;
  const components = (colon > slash ? named.slice(0, colon) : named).split("/");
  // A first component with a dot or a port, or `localhost`, is a registry (Docker's own rule).
  if (components.length > 1 && /[.:]|^localhost$/.test(components[0] ?? "")) components.shift();
  if (!components.every((component) => IMAGE_COMPONENT.test(component))) return undefined;
  const name = components.at(-1);
  const version = tag ?? digest;
  return name === undefined || version === undefined ? undefined : { name, version };
}
