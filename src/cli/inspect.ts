/** `inspect`: claims as JSON on stdout, a human summary on stderr. */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { TokenInvalidError } from "../errors.ts";
import { humanDuration, localTime } from "../output/format.ts";
import { createReporter } from "../output/reporter.ts";
import { type DecodedJwt, decodeJwt, tokenTimes } from "../token/jwt.ts";
import { readTokenInput, type TokenSource } from "./token_input.ts";

export interface InspectOptions extends TokenSource {
  full: boolean;
  silent: boolean;
}

/** Runs inspect; exit 6 (after printing) when the token is expired or not yet valid. */
export async function runInspect(opts: InspectOptions, deps: Deps): Promise<void> {
  const token = await readTokenInput(opts, deps);
  const decoded = decodeJwt(token);
  const doc = opts.full ? { header: decoded.header, claims: decoded.claims } : decoded.claims;
  deps.io.stdout.write(JSON.stringify(doc, null, 2) + "\n");
  const reporter = createReporter(deps.io, deps.env, { silent: opts.silent });
  for (const line of summarize(decoded, deps.clock.now())) reporter.info(line);
  const problem = timingProblem(decoded, deps.clock.now());
  if (problem) throw new TokenInvalidError(problem.code, problem.message);
}

/** The summary lines shown on stderr. */
export function summarize({ header, claims }: DecodedJwt, now: number): string[] {
  const lines: string[] = [];
  const add = (label: string, value: unknown) => {
    if (value === undefined || value === null || value === "") return;
    const text = Array.isArray(value) ? value.join(" ") : String(value);
    lines.push(`${(label + ":").padEnd(12)}${text}`);
  };
  add("Algorithm", [header.alg, header.kid ? `(kid ${header.kid})` : undefined].filter(Boolean));
  add("Audience", claims.aud);
  add("Issuer", claims.iss);
  add("Tenant", claims.tid);
  add("App", claims.appid ?? claims.azp);
  add("Subject", claims.preferred_username ?? claims.upn ?? claims.sub);
  add("Scopes", claims.scp);
  add("Roles", claims.roles);
  const t = tokenTimes(claims);
  if (t.issuedAt) add("Issued", localTime(t.issuedAt));
  if (t.expiresAt) {
    const left = t.expiresAt - now;
    add(
      "Expires",
      `${localTime(t.expiresAt)} (${
        left > 0 ? `in ${humanDuration(left)}` : `expired ${humanDuration(left)} ago`
      })`,
    );
  }
  return lines;
}

/** Why a token is unusable now, if it is. */
export function timingProblem(
  { claims }: DecodedJwt,
  now: number,
  minValidityMs = 0,
): { code: string; message: string } | undefined {
  const t = tokenTimes(claims);
  if (t.expiresAt === undefined) {
    return { code: "TOKEN_NO_EXPIRY", message: "the token has no exp claim" };
  }
  if (t.expiresAt <= now) {
    return {
      code: "TOKEN_EXPIRED",
      message: `the token expired ${humanDuration(now - t.expiresAt)} ago (${
        localTime(t.expiresAt)
      })`,
    };
  }
  if (t.notBefore !== undefined && t.notBefore > now + 60_000) {
    return {
      code: "TOKEN_NOT_YET_VALID",
      message: `the token is not valid before ${localTime(t.notBefore)}`,
    };
  }
  if (t.expiresAt - now < minValidityMs) {
    return {
      code: "TOKEN_EXPIRING",
      message: `the token expires in ${
        humanDuration(t.expiresAt - now)
      }, sooner than --min-validity`,
    };
  }
  return undefined;
}

/** Adds the command to the program. */
export function registerInspect(program: Command, deps: Deps): void {
  program.command("inspect")
    .description("decode a JWT: claims as JSON on stdout, a summary on stderr")
    .argument("[token]", "the token, or - to read stdin (default: stdin when piped)")
    .option("-t, --token <token>", "the token to decode")
    .option("-p, --profile <name>", "decode the profile's cached token")
    .option("--full", "print {header, claims} instead of the claims alone")
    .option("--silent", "no summary on stderr")
    .addHelpText(
      "after",
      `
Exit status: 0 when the token is currently valid, 6 when it is expired, not yet valid or not a JWT.

Examples:
  $ entra-auth-cli get-token -p ci --silent | entra-auth-cli inspect
  $ entra-auth-cli inspect -t "$TOKEN" | jq -r .aud
  $ entra-auth-cli inspect -p myprofile`,
    )
    .action(
      async (
        arg: string | undefined,
        flags: { token?: string; profile?: string; full?: boolean; silent?: boolean },
      ) => {
        await runInspect({
          arg,
          token: flags.token,
          profile: flags.profile,
          full: flags.full ?? false,
          silent: flags.silent ?? false,
        }, deps);
      },
    );
}
