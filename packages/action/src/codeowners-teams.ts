import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseCodeowners, teamsForChanges } from "@sponge/core";

/** Where GitHub looks for CODEOWNERS, first match wins. */
const LOCATIONS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/**
 * The CODEOWNERS owners of the changed files, most files first, from the checkout at
 * `workspace`; empty when there is no CODEOWNERS file or no changed file. The receiver maps
 * them to a team. https://docs.github.com/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners#codeowners-file-location
 *
 * @example await readCodeownersTeams(process.env.GITHUB_WORKSPACE, ["web/app.ts"]) // ["@acme/web-team"]
 */
export async function readCodeownersTeams(
  workspace: string,
  changedFiles: readonly string[],
): Promise<string[]> {
  if (changedFiles.length === 0) return [];
  for (const location of LOCATIONS) {
    let text: string;
    try {
      text = await readFile(join(workspace, location), "utf8");
    } catch {
      continue;
    }
    return teamsForChanges(parseCodeowners(text), changedFiles);
  }
  return [];
}
