/** `clear-cache -p NAME | --all`: forget cached tokens (the next get-token asks Entra). */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { belongsTo, listEntries, removeAll, removeEntries } from "../cache/cache_dir.ts";
import { createReporter, type Reporter } from "../output/reporter.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";

/** Removes one profile's cached tokens; returns how many entries went. */
export async function clearProfileCache(
  name: string,
  deps: Deps,
  reporter: Reporter,
): Promise<number> {
  const profile = await new ProfilesFile(deps.paths.configHome()).get(name);
  const opened = await deps.secrets.open();
  if (opened.warning) reporter.warn(opened.warning);
  const entries = await listEntries(
    deps.paths.configHome(),
    opened.openEncryptedFile,
    reporter.warn,
  );
  return await removeEntries(entries.filter((e) => belongsTo(e.entry, profile)));
}

/** Runs clear-cache. */
export async function runClearCache(
  opts: { profile?: string; all?: boolean },
  deps: Deps,
): Promise<void> {
  const reporter = createReporter(deps.io, deps.env);
  if (!!opts.profile === !!opts.all) {
    throw new UsageError("FLAGS_CONFLICT", "give either -p NAME or --all");
  }
  const count = opts.all
    ? await removeAll(deps.paths.configHome())
    : await clearProfileCache(opts.profile!, deps, reporter);
  const what = opts.all ? "all profiles" : `profile '${opts.profile}'`;
  reporter.success(`Removed ${count} cached token${count === 1 ? "" : "s"} for ${what}`);
}

/** Adds the command to the program. */
export function registerClearCache(program: Command, deps: Deps): void {
  program.command("clear-cache")
    .description("remove cached tokens for one profile or all")
    .option("-p, --profile <name>", "profile whose cached tokens to remove")
    .option("--all", "remove every cached token")
    .addHelpText(
      "after",
      `
Examples:
  $ entra-auth-cli clear-cache -p ci
  $ entra-auth-cli clear-cache --all`,
    )
    .action(async (flags: { profile?: string; all?: boolean }) => {
      await runClearCache(flags, deps);
    });
}
