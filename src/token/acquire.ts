/**
 * Acquiring a token for a resolved profile: pick the flow, load the credential,
 * call the flow. The cache (issue #6) wraps this; commands call it.
 */
import type { Deps } from "../deps.ts";
import { clientCredentialsScope } from "../entra/scopes.ts";
import { acquireClientCredentials } from "../flows/client_credentials.ts";
import type { TokenSet } from "../flows/token_response.ts";
import { createLoggingFetch } from "../http/logging.ts";
import { createRetryingFetch } from "../http/retry.ts";
import type { Reporter } from "../output/reporter.ts";
import type { FlowName } from "../profile/flows.ts";
import type { ResolvedProfile } from "../profile/resolve.ts";
import { loadClientCredential } from "./credential.ts";
import type { SignInOptions } from "../flows/sign_in_options.ts";
import { lazy } from "../lazy.ts";

/** Everything one acquisition needs. */
export interface AcquireRequest {
  resolved: ResolvedProfile;
  flow: FlowName;
  /** Chosen by --flow or the profile's defaultFlow, not inferred (interaction policy). */
  explicitFlow: boolean;
  scopes: string[];
  /** Ports, redirect, browser and timeout settings for user sign-in flows. */
  signIn?: SignInOptions;
}

/** The fetch every flow uses: retries, and `--verbose` logging under them. */
export function flowFetch(deps: Deps, reporter: Reporter): typeof fetch {
  const base = reporter.verbose
    ? createLoggingFetch(deps.fetch, (l) => reporter.debug(l), () => deps.clock.now())
    : deps.fetch;
  return createRetryingFetch(base, {
    clock: deps.clock,
    onRetry: (reason, delay) =>
      reporter.debug(`retrying after ${reason} in ${(delay / 1000).toFixed(1)} s`),
  });
}

/** Gets a new token from Entra. */
export async function acquireToken(
  request: AcquireRequest,
  deps: Deps,
  reporter: Reporter,
): Promise<TokenSet> {
  const { resolved, flow } = request;
  if (flow !== "ClientCredentials") return await signInUser({ ...request, flow }, deps, reporter);
  const { scope, note } = clientCredentialsScope(request.scopes);
  if (note) reporter.warn(note);
  const credential = await loadClientCredential(resolved, deps, reporter);
  return await acquireClientCredentials(
    { authority: resolved.authority, clientId: resolved.profile.clientId, credential, scope },
    { fetch: flowFetch(deps, reporter), clock: deps.clock },
  );
}

/**
 * SPEC §1.1 interaction policy: a person may be asked when the flow was chosen
 * explicitly or when someone is at the terminal (stdin or stderr is one); a
 * redirected stdout (`TOKEN=$(...)`) or --silent does not change that.
 */
export function mayAskPerson(explicitFlow: boolean, io: Deps["io"]): boolean {
  return explicitFlow || io.isTerminal.stdin || io.isTerminal.stderr;
}

/** The user flows load only here, so the app-only and cached paths never pay for them. */
async function signInUser(
  request: AcquireRequest & { flow: Exclude<FlowName, "ClientCredentials"> },
  deps: Deps,
  reporter: Reporter,
): Promise<TokenSet> {
  const { resolved } = request;
  const { signIn } = await lazy<typeof import("../flows/sign_in.ts")>("flows/sign_in.ts");
  return await signIn({
    flow: request.flow,
    authority: resolved.authority,
    clientId: resolved.profile.clientId,
    scopes: request.scopes,
    options: request.signIn ?? {},
    mayAskPerson: mayAskPerson(request.explicitFlow, deps.io),
    profile: resolved.name,
    redirectUri: resolved.profile.redirectUri,
    // Only AuthorizationCode sends it (a confidential web app); public clients never do.
    credential: resolved.profile.authMethod === "none"
      ? undefined
      : () => loadClientCredential(resolved, deps, reporter),
  }, { deps, reporter, fetch: flowFetch(deps, reporter) });
}
