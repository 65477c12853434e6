/** `discover`: a validity check for scripts (exit 0 valid, 6 not). */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { TokenInvalidError } from "../errors.ts";
import { humanDuration, localTime } from "../output/format.ts";
import { createReporter } from "../output/reporter.ts";
import { decodeJwt, tokenTimes } from "../token/jwt.ts";
import { parseDuration } from "./durations.ts";
import { timingProblem } from "./inspect.ts";
import { readTokenInput, type TokenSource } from "./token_input.ts";

export interface DiscoverOptions extends TokenSource {
  minValidityMs: number;
  json: boolean;
  silent: boolean;
}

/** Runs discover. */
export async function runDiscover(opts: DiscoverOptions, deps: Deps): Promise<void> {
  const reporter = createReporter(deps.io, deps.env, { silent: opts.silent });
  const now = deps.clock.now();
  let problem: { code: string; message: string } | undefined;
  let expiresAt: number | undefined;
  let claims: Record<string, unknown> = {};
  try {
    const decoded = decodeJwt(await readTokenInput(opts, deps));
    claims = decoded.claims;
    expiresAt = tokenTimes(claims).expiresAt;
    problem = timingProblem(decoded, now, opts.minValidityMs);
  } catch (err) {
    if (!(err instanceof TokenInvalidError)) throw err;
    problem = { code: err.code, message: err.message };
  }
  if (opts.json) {
    deps.io.stdout.write(
      JSON.stringify(
        {
          valid: !problem,
          reason: problem?.code ?? null,
          expiresOn: expiresAt ? new Date(expiresAt).toISOString() : null,
          expiresInSeconds: expiresAt ? Math.floor((expiresAt - now) / 1000) : null,
          audience: claims.aud ?? null,
          tenant: claims.tid ?? null,
        },
        null,
        2,
      ) + "\n",
    );
  }
  if (problem) throw new TokenInvalidError(problem.code, problem.message);
  reporter.success(
    `Token is valid for ${humanDuration(expiresAt! - now)} (until ${localTime(expiresAt!)})`,
  );
}

/** Adds the command to the program. */
export function registerDiscover(program: Command, deps: Deps): void {
  program.command("discover")
    .description("check that a token is a JWT and not expired (exit 0 valid, 6 not)")
    .argument("[token]", "the token, or - to read stdin")
    .option("-f, --file <path>", "read the token from a file (as written by get-token -o)")
    .option("-t, --token <token>", "the token to check")
    .option("-p, --profile <name>", "check the profile's cached token")
    .option(
      "--min-validity <duration>",
      "also require this much remaining lifetime, e.g. 10m",
      "0s",
    )
    .option("--json", "print {valid, reason, expiresOn, ...} on stdout")
    .option("--silent", "no message on stderr except errors")
    .addHelpText(
      "after",
      `
Examples:
  $ entra-auth-cli discover -f token.txt || entra-auth-cli get-token -p ci -o token.txt
  $ entra-auth-cli discover -t "$TOKEN" --min-validity 10m`,
    )
    .action(async (arg: string | undefined, flags: {
      file?: string;
      token?: string;
      minValidity?: string;
      json?: boolean;
      silent?: boolean;
      profile?: string;
    }) => {
      await runDiscover({
        arg,
        file: flags.file,
        token: flags.token,
        profile: flags.profile,
        minValidityMs: parseDuration(flags.minValidity ?? "0s", "--min-validity"),
        json: flags.json ?? false,
        silent: flags.silent ?? false,
      }, deps);
    });
}
