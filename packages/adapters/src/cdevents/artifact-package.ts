import { PackageURL } from "packageurl-js";
import { cleanText } from "../fields.js";

/**
 * The package a CDEvents `artifactId` names. The spec makes artifact ids package URLs
 * (https://github.com/package-url/purl-spec): the name is `namespace/name`
 * (`pkg:npm/%40acme/api@1.2.0` -> `@acme/api`), the version is the `tag` qualifier when
 * present (an OCI digest is exact but unreadable), else the purl version.
 * Undefined when the id is not a purl.
 *
 * @example artifactPackage("pkg:oci/myapp@sha256%3A0b31?tag=v1.2") // { name: "myapp", version: "v1.2" }
 */
export function artifactPackage(artifactId: string): { name: string; version?: string } | undefined {
  let purl: PackageURL;
  try {
    purl = PackageURL.fromString(artifactId);
  } catch {
    return undefined;
  }
  const name = cleanText(purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name, 1000);
  if (name === undefined) return undefined;
  const tag = purl.qualifiers?.tag;
  const version = cleanText(typeof tag === "string" && tag.trim() !== "" ? tag : purl.version, 1000);
  return version === undefined ? { name } : { name, version };
}
