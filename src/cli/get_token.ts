/** `get-token`: print an access token in the requested format (SPEC §1.1, §2). */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import {
  localTime,
  type OutputTarget,
  parseOutputTarget,
  renderToken,
  type TokenOutput,
} from "../output/format.ts";
import { createReporter, type Reporter } from "../output/reporter.ts";
import { type FlowName, parseFlow } from "../profile/flows.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import { resolveProfile } from "../profile/resolve.ts";
import { DEFAULT_SCOPES, parseScopes } from "../entra/scopes.ts";
import { chooseFlow } from "../token/acquire.ts";
import { getToken } from "../token/service.ts";
import { parseDuration } from "./durations.ts";
import { writeOutputFile } from "./output_file.ts";

/** Parsed flags of get-token. */
export interface GetTokenOptions {
  profile?: string;
  flow?: FlowName;
  scopes?: string[];
  silent: boolean;
  verbose: boolean;
  target: OutputTarget;
  force: boolean;
  minValidityMs: number;
  tenant?: string;
  authorityHost?: string;
  cloud?: string;
}

/** Raw commander values for get-token. */
export interface GetTokenFlags {
  profile?: string;
  flow?: string;
  scope?: string[];
  silent?: boolean;
  json?: boolean;
  output?: string;
  force?: boolean;
  minValidity?: string;
  tenant?: string;
  authorityHost?: string;
  cloud?: string;
  verbose?: boolean;
}

/** Validates the flags once (pure). */
export function parseGetTokenFlags(flags: GetTokenFlags): GetTokenOptions {
  if (flags.profile !== undefined && flags.profile.trim() === "") {
    throw new UsageError("PROFILE_REQUIRED", "--profile needs a name");
  }
  const scopes = flags.scope ? parseScopes(flags.scope) : undefined;
  if (scopes && scopes.length === 0) throw new UsageError("SCOPE_INVALID", "--scope is empty");
  return {
    profile: flags.profile,
    flow: flags.flow ? parseFlow(flags.flow) : undefined,
    scopes,
    silent: flags.silent ?? false,
    verbose: flags.verbose ?? false,
    target: parseOutputTarget(flags.output, flags.json ?? false),
    force: flags.force ?? false,
    minValidityMs: parseDuration(flags.minValidity ?? "5m", "--min-validity"),
    tenant: flags.tenant,
    authorityHost: flags.authorityHost,
    cloud: flags.cloud,
  };
}

/** Runs get-token. */
export async function runGetToken(opts: GetTokenOptions, deps: Deps): Promise<void> {
  await runTokenCommand(opts, deps, "get");
}

/** get-token and refresh: resolve, ask the token service, print. */
export async function runTokenCommand(
  opts: GetTokenOptions,
  deps: Deps,
  mode: "get" | "refresh",
): Promise<void> {
  const reporter = createReporter(deps.io, deps.env, opts);
  const resolved = await resolveProfile(opts, new ProfilesFile(deps.paths.configHome()), deps.env);
  const flow = chooseFlow(opts.flow, resolved.profile);
  const scopes = opts.scopes ??
    (resolved.profile.scopes.length ? resolved.profile.scopes : DEFAULT_SCOPES);
  reporter.debug(`authority ${resolved.authority.url}, flow ${flow}, scopes ${scopes.join(" ")}`);
  const outcome = await getToken(
    {
      resolved,
      flow,
      explicitFlow: opts.flow !== undefined || resolved.profile.defaultFlow !== undefined,
      scopes,
      force: opts.force,
      minValidityMs: opts.minValidityMs,
      mode,
      beforeNetwork: () => reporter.info(progressLine(mode, resolved.name)),
    },
    deps,
    reporter,
  );
  if (outcome.fromCache) reporter.success("Using cached token");
  else if (outcome.refreshed) reporter.success("Token refreshed successfully");
  else reporter.success("Token acquired successfully");
  const out: TokenOutput = {
    token: outcome.token,
    tenant: resolved.authority.tenant,
    profile: resolved.name,
    flow,
    fromCache: outcome.fromCache,
  };
  await emit(out, opts.target, deps, reporter);
}

function progressLine(mode: "get" | "refresh", name: string | null): string {
  const who = name ? `profile '${name}'` : "AZURE_* environment credentials";
  return mode === "refresh" ? `Refreshing token for ${who}...` : `Authenticating with ${who}...`;
}

async function emit(
  out: TokenOutput,
  target: OutputTarget,
  deps: Deps,
  reporter: Reporter,
): Promise<void> {
  reporter.info(`Token expires: ${localTime(out.token.expiresAt)}`);
  const text = renderToken(out, target.format);
  if ("file" in target) {
    await writeOutputFile(target.file, text);
    reporter.success(`Token saved to ${target.file}`);
  } else {
    deps.io.stdout.write(text);
  }
}

/** Adds the command to the program. */
export function registerGetToken(program: Command, deps: Deps): void {
  program.command("get-token")
    .description("print an access token (cached when valid, else a new one)")
    .option("-p, --profile <name>", "profile to use (default: 'default', else AZURE_* variables)")
    .option("-f, --flow <flow>", "ClientCredentials (aliases: client-credentials)")
    .option("-s, --scope <scopes...>", "scopes, space- or comma-separated (overrides the profile)")
    .option("--silent", "print only the token; stderr only for errors")
    .option("--json", "print a JSON document")
    .option("-o, --output <format|file>", "json, token, env, header, or a file path (mode 0600)")
    .option("--force", "ignore any cached token and ask Entra for a new one")
    .option("--min-validity <duration>", "least remaining lifetime of a token to reuse", "5m")
    .option("--tenant <id>", "tenant to use instead of the profile's")
    .option("--authority-host <url>", "Entra host, e.g. https://login.microsoftonline.us")
    .option("--cloud <name>", "AzurePublic, AzureUSGovernment or AzureChina")
    .option("-v, --verbose", "protocol diagnostics on stderr (secrets redacted)")
    .addHelpText(
      "after",
      `
Examples:
  $ entra-auth-cli get-token -p ci
  $ TOKEN=$(entra-auth-cli get-token -p ci --silent)
  $ entra-auth-cli get-token --scope https://management.azure.com/.default --output json | jq -r .access_token
  $ entra-auth-cli get-token -p ci -o token.txt
  $ AZURE_TENANT_ID=... AZURE_CLIENT_ID=... AZURE_CLIENT_SECRET=... entra-auth-cli get-token --json`,
    )
    .action(async (flags: GetTokenFlags) => {
      await runGetToken(parseGetTokenFlags(flags), deps);
    });
}
