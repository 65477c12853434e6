/**
 * `config list --names`: one profile name per line, for shell completion. Kept
 * apart from config.ts so app.ts can answer it without loading commander: it
 * runs on every Tab press, and reads nothing but profiles.json (no secret store).
 */
import type { Deps } from "../deps.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";

/** Whether argv is exactly `config list --names`. */
export function isListNames(argv: string[]): boolean {
  return argv.length === 3 && argv[0] === "config" && argv[1] === "list" && argv[2] === "--names";
}

/** Prints the names. */
export async function runConfigListNames(deps: Deps): Promise<void> {
  const profiles = await new ProfilesFile(deps.paths.configHome()).load();
  for (const p of profiles) deps.io.stdout.write(p.name + "\n");
}
