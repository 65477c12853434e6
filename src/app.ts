/**
 * The composition root: `run(argv, deps)` runs one command and returns the exit
 * code. Errors become one `✗` line plus hints here, and only here; `--verbose`
 * adds the cause chain. A plain `get-token` is parsed without commander so a
 * cached token costs little more than starting the runtime (SPEC §7).
 */
import type { Deps } from "./deps.ts";
import { CliError, exitCodeFor } from "./errors.ts";
import {
  GET_TOKEN_OPTIONS,
  type GetTokenFlags,
  parseGetTokenFlags,
  runGetToken,
} from "./cli/get_token.ts";
import { parseSimple } from "./cli/option_table.ts";
import { isListNames, runConfigListNames } from "./cli/profile_names.ts";
import { lazy } from "./lazy.ts";

/** Runs the CLI and returns its exit code; never throws, never exits. */
export async function run(
  argv: string[],
  deps: Deps,
  programName = "entra-auth-cli",
): Promise<number> {
  const verbose = argv.includes("-v") || argv.includes("--verbose");
  try {
    const simple = argv[0] === "get-token"
      ? parseSimple(argv.slice(1), GET_TOKEN_OPTIONS)
      : undefined;
    if (simple) {
      await runGetToken(parseGetTokenFlags(simple as GetTokenFlags), deps);
      return 0;
    }
    if (isListNames(argv)) { // shell completion asks on every Tab: skip commander too
      await runConfigListNames(deps);
      return 0;
    }
    const { runProgram } = await lazy<typeof import("./cli/program.ts")>("cli/program.ts");
    return await runProgram(argv, deps, programName);
  } catch (err) {
    deps.io.stderr.write(formatError(err, verbose));
    return exitCodeFor(err);
  }
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
