/**
 * The composition root: `run(argv, deps)` parses the command line, runs one
 * command and returns the exit code. Errors become one `✗` line plus hints here,
 * and only here; `--verbose` adds the cause chain.
 */
import { Command, CommanderError } from "commander";
import denoJson from "../deno.json" with { type: "json" };
import { registerClearCache } from "./cli/clear_cache.ts";
import { registerConfig } from "./cli/config.ts";
import { registerCreateProfile } from "./cli/create_profile.ts";
import { registerDeleteProfile } from "./cli/delete_profile.ts";
import { registerDiscover } from "./cli/discover.ts";
import { registerGetToken } from "./cli/get_token.ts";
import { registerInspect } from "./cli/inspect.ts";
import { registerRefresh } from "./cli/refresh.ts";
import type { Deps } from "./deps.ts";
import { CliError, exitCodeFor } from "./errors.ts";

/** The version stamped in deno.json, the one place it is kept. */
export const VERSION = denoJson.version;

/** Runs the CLI and returns its exit code; never throws, never exits. */
export async function run(
  argv: string[],
  deps: Deps,
  programName = "entra-auth-cli",
): Promise<number> {
  const verbose = argv.includes("-v") || argv.includes("--verbose");
  const program = buildProgram(deps, programName);
  if (argv.length === 0) {
    deps.io.stdout.write(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err);
    deps.io.stderr.write(formatError(err, verbose));
    return exitCodeFor(err);
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

/** One `✗` line, hint lines, and with --verbose the cause chain. */
export function formatError(err: unknown, verbose: boolean): string {
  const lines: string[] = [];
  if (err instanceof CliError) {
    lines.push(`✗ ${err.message}`);
    for (const hint of err.hints) lines.push(`  ${hint}`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    lines.push(`✗ unexpected error: ${message.split("\n")[0]}`);
    lines.push(
      "  This is a bug; run again with --verbose and report the output (it has no secrets)",
    );
  }
  if (verbose) {
    let cause: unknown = err;
    for (let depth = 0; cause && depth < 5; depth++) {
      if (cause instanceof Error) lines.push(`  [verbose] ${cause.stack ?? cause.message}`);
      else if (depth > 0) lines.push(`  [verbose] cause: ${JSON.stringify(cause)}`);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return lines.join("\n") + "\n";
}
