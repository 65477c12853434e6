/**
 * Acquiring a token for a resolved profile: pick the flow, load the credential,
 * call the flow. The cache (issue #6) wraps this; commands call it.
 */
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { clientCredentialsScope } from "../entra/scopes.ts";
import { acquireClientCredentials } from "../flows/client_credentials.ts";
import type { TokenSet } from "../flows/token_response.ts";
import { createLoggingFetch } from "../http/logging.ts";
import { createRetryingFetch } from "../http/retry.ts";
import type { Reporter } from "../output/reporter.ts";
import type { FlowName } from "../profile/flows.ts";
import type { ResolvedProfile } from "../profile/resolve.ts";
import { loadClientCredential } from "./credential.ts";

export { chooseFlow } from "../profile/flows.ts";

/** Everything one acquisition needs. */
export interface AcquireRequest {
  resolved: ResolvedProfile;
  flow: FlowName;
  /** Chosen by --flow or the profile's defaultFlow, not inferred (interaction policy). */
  explicitFlow: boolean;
  scopes: string[];
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
  if (flow !== "ClientCredentials") {
    throw new UsageError("FLOW_UNAVAILABLE", `the ${flow} flow is not available in this version`, {
      hints: ["Use ClientCredentials with a client secret"],
    });
  }
  const { scope, note } = clientCredentialsScope(request.scopes);
  if (note) reporter.warn(note);
  const credential = await loadClientCredential(resolved, deps, reporter);
  return await acquireClientCredentials(
    { authority: resolved.authority, clientId: resolved.profile.clientId, credential, scope },
    { fetch: flowFetch(deps, reporter), clock: deps.clock },
  );
}
