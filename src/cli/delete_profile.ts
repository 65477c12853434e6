/** `delete-profile --name N` (and `config delete -p N`): the profile, its secrets, its cache. */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { createReporter } from "../output/reporter.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import { secretKeys } from "../store/secret_store.ts";
import { clearProfileCache } from "./clear_cache.ts";

/** Deletes one profile and everything stored for it. */
export async function deleteProfile(name: string, deps: Deps): Promise<void> {
  const reporter = createReporter(deps.io, deps.env);
  const file = new ProfilesFile(deps.paths.configHome());
  await file.get(name);
  const cleared = await clearProfileCache(name, deps, reporter);
  await file.update((profiles) => {
    const at = profiles.findIndex((p) => p.name === name);
    if (at >= 0) profiles.splice(at, 1);
  });
  const { store } = await deps.secrets.open();
  for (const key of secretKeys.all(name)) await store.delete(key);
  reporter.success(
    `Profile '${name}' deleted, with its stored secrets and ${cleared} cached token${
      cleared === 1 ? "" : "s"
    }`,
  );
}

/** Adds the command to the program. */
export function registerDeleteProfile(program: Command, deps: Deps): void {
  program.command("delete-profile")
    .description("delete a profile with its stored secrets and cached tokens")
    .requiredOption("--name <name>", "profile to delete")
    .action(async (flags: { name: string }) => {
      await deleteProfile(flags.name, deps);
    });
}
