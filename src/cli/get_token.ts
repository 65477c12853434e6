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
import { type AssertionAlg, parseAssertionAlg } from "../profile/profile.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import { resolveProfile } from "../profile/resolve.ts";
import { DEFAULT_SCOPES, parseScopes } from "../entra/scopes.ts";
import { chooseFlow } from "../profile/flows.ts";
import { getToken } from "../token/service.ts";
import { parseDuration } from "./durations.ts";
import { writeOutputFile } from "./output_file.ts";
import type { OptionSpec } from "./option_table.ts";
import { parseSignInFlags, type SignInFlags } from "./sign_in_flags.ts";
import type { SignInOptions } from "../flows/sign_in_options.ts";

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
  /** Certificate profiles only: per-call assertion settings (issue #3). */
  assertionAlg?: AssertionAlg;
  sendX5c?: boolean;
  /** User flows: ports, redirect, browser and timeout (issue #5). */
  signIn?: SignInOptions;
}

/** Raw commander values for get-token. */
export interface GetTokenFlags extends SignInFlags {
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
  assertionAlg?: string;
  sendX5c?: boolean;
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
    ...certificateOverrides(flags),
    signIn: parseSignInFlags(flags),
  };
}

/** `--assertion-alg` and `--send-x5c` override a certificate profile's settings for one call. */
function certificateOverrides(
  flags: GetTokenFlags,
): Pick<GetTokenOptions, "assertionAlg" | "sendX5c"> {
  return {
    ...(flags.assertionAlg === undefined
      ? {}
      : { assertionAlg: parseAssertionAlg(flags.assertionAlg) }),
    ...(flags.sendX5c ? { sendX5c: true } : {}),
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
      signIn: opts.signIn,
      scopes,
      // Per-call assertion settings say how to authenticate this call: a cached token
      // would silently ignore them, so they ask Entra as --force does.
      force: opts.force || opts.assertionAlg !== undefined || opts.sendX5c === true,
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
    // The flow used: InteractiveBrowser without a display signs in with DeviceCode.
    flow: outcome.token.flow ?? flow,
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

/** The options of get-token, shared with the fast parser in app.ts. */
export const GET_TOKEN_OPTIONS: OptionSpec[] = [
  {
    flags: "-p, --profile <name>",
    description: "profile to use (default: 'default', else AZURE_* variables)",
  },
  {
    flags: "-f, --flow <flow>",
    description: "ClientCredentials, InteractiveBrowser, DeviceCode or AuthorizationCode " +
      "(aliases: client-credentials, interactive, interactive-browser, browser, device, " +
      "device-code, auth-code, authorization-code; any case)",
  },
  {
    flags: "-s, --scope <scopes...>",
    description: "scopes, space- or comma-separated (overrides the profile)",
  },
  { flags: "--silent", description: "print only the token; stderr only for errors" },
  { flags: "--json", description: "print a JSON document" },
  {
    flags: "-o, --output <target>",
    description: "json, token, env, header, or a file path (mode 0600)",
  },
  { flags: "--force", description: "ignore any cached token and ask Entra for a new one" },
  {
    flags: "--min-validity <duration>",
    description: "least remaining lifetime of a cached token to reuse (default: 5m)",
  },
  { flags: "--tenant <id>", description: "tenant to use instead of the profile's" },
  {
    flags: "--authority-host <url>",
    description: "Entra host, e.g. https://login.microsoftonline.us",
  },
  { flags: "--cloud <name>", description: "AzurePublic, AzureUSGovernment or AzureChina" },
  { flags: "-v, --verbose", description: "protocol diagnostics on stderr (secrets redacted)" },
  // Certificate profiles (issue #3): override the profile's assertion settings for this call.
  {
    flags: "--assertion-alg <alg>",
    description: "certificate assertion: PS256 (default) or RS256",
  },
  {
    flags: "--send-x5c",
    description: "certificate assertion: include the chain (x5c) for SN+I apps",
  },
  // User sign-in (issue #5).
  {
    flags: "--port <n>",
    description: "browser sign-in: loopback port (default: a free one in 49152-65535)",
  },
  { flags: "--port-range <range>", description: "browser sign-in: any free port in a-b" },
  {
    flags: "--redirect-uri <uri>",
    description: "AuthorizationCode redirect (default: the profile's, else http://localhost:8080)",
  },
  { flags: "--show-url", description: "print the sign-in URL on stderr too" },
  { flags: "--no-browser", description: "never open a browser: print the URL and wait" },
  {
    flags: "--timeout <duration>",
    description: "how long to wait for the person (browser: 5m; device code: until it expires)",
  },
];

/** Adds the command to the program. */
export function registerGetToken(program: Command, deps: Deps): void {
  const command = program.command("get-token")
    .description("print an access token (cached when valid, else a new one)");
  for (const o of GET_TOKEN_OPTIONS) command.option(o.flags, o.description);
  command
    .addHelpText(
      "after",
      `
Examples:
  $ entra-auth-cli get-token -p ci
  $ TOKEN=$(entra-auth-cli get-token -p ci --silent)
  $ entra-auth-cli get-token --scope https://management.azure.com/.default --output json | jq -r .access_token
  $ entra-auth-cli get-token -p ci -o token.txt
  $ AZURE_TENANT_ID=... AZURE_CLIENT_ID=... AZURE_CLIENT_SECRET=... entra-auth-cli get-token --json
  $ entra-auth-cli get-token -p me --flow interactive --scope User.Read
  $ entra-auth-cli get-token -p me --flow device-code     # sign in on another device
  $ entra-auth-cli get-token -p webapp --flow auth-code --redirect-uri http://localhost:8080

Signing in as a user: the browser opens on a loopback redirect (127.0.0.1 only). Without a
display (SSH, containers) InteractiveBrowser falls back to a device code. With nobody at a
terminal and no --flow, a needed sign-in exits 4 at once instead of waiting.`,
    )
    .action(async (flags: GetTokenFlags) => {
      await runGetToken(parseGetTokenFlags(flags), deps);
    });
}
