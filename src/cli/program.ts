/**
 * The full command line, built on commander: every command, help with examples,
 * suggestions for mistakes. Loaded only when the fast get-token path in app.ts
 * does not apply, because loading commander costs more than a cached token.
 */
import { Command, CommanderError } from "commander";
import { registerClearCache } from "./clear_cache.ts";
import { registerCompletions } from "./completions.ts";
import { registerConfig } from "./config.ts";
import { registerCreateProfile } from "./create_profile.ts";
import { registerDeleteProfile } from "./delete_profile.ts";
import { registerDiscover } from "./discover.ts";
import { registerGetToken } from "./get_token.ts";
import { registerInspect } from "./inspect.ts";
import { registerRefresh } from "./refresh.ts";
import type { Deps } from "../deps.ts";
import { VERSION } from "../version.ts";

/** Parses argv with commander and runs the command; errors propagate to run(). */
export async function runProgram(argv: string[], deps: Deps, name: string): Promise<number> {
  const program = buildProgram(deps, name);
  if (argv.length === 0) {
    deps.io.stdout.write(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err);
    throw err;
  }
}

function buildProgram(deps: Deps, name: string): Command {
  const program = new Command(name)
    .description("Get Microsoft Entra ID access tokens for people, scripts and pipelines")
    .version(`${name} ${VERSION} (deno ${Deno.version.deno})`, "-V, --version")
    .configureOutput({
      writeOut: (s) => deps.io.stdout.write(s),
      writeErr: (s) => deps.io.stderr.write(s),
      outputError: (s, write) => write(commanderMessage(s, name)),
    })
    .showSuggestionAfterError(true)
    .exitOverride();
  program.addHelpText(
    "after",
    `
Examples:
  $ ${name} create-profile --name ci --tenant-id <tenant> --client-id <app-id> --client-secret-stdin
  $ TOKEN=$(${name} get-token -p ci --silent)
  $ ${name} get-token -p ci --json | jq -r .expiresOn
  $ ${name} inspect -t "$TOKEN"

Run '${name} <command> --help' for a command's options.`,
  );
  registerGetToken(program, deps);
  registerInspect(program, deps);
  registerDiscover(program, deps);
  registerCreateProfile(program, deps);
  registerRefresh(program, deps);
  registerClearCache(program, deps);
  registerDeleteProfile(program, deps);
  registerConfig(program, deps);
  registerCompletions(program, deps);
  addVersionEverywhere(program, `${name} ${VERSION} (deno ${Deno.version.deno})`);
  return program;
}

/** `--version` works after any command too, as people type it there. */
function addVersionEverywhere(command: Command, text: string): void {
  for (const sub of command.commands) {
    sub.version(text, "-V, --version");
    addVersionEverywhere(sub as unknown as Command, text);
  }
}

/** Commander's own errors are usage errors (exit 2); help and version are success. */
function commanderExit(err: CommanderError): number {
  if (
    err.code === "commander.helpDisplayed" || err.code === "commander.version" ||
    err.code === "commander.help"
  ) {
    return err.exitCode === 0 || err.code !== "commander.help" ? 0 : 2;
  }
  return 2;
}

/** `error: unknown option '--x'\n(Did you mean --y?)` → one `✗` line and a pointer to help. */
function commanderMessage(text: string, name: string): string {
  const lines = text.trim().split("\n").map((l) => l.trim()).filter(Boolean);
  const first = (lines.shift() ?? "invalid usage").replace(/^error:\s*/, "");
  const suggestion = lines.length ? ` ${lines.join(" ")}` : "";
  return `✗ ${first}${suggestion}\n  Run '${name} --help' for usage.\n`;
}
