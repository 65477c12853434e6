/**
 * ClientCredentials (SPEC §5): one POST to the token endpoint with the client
 * secret (`client_secret_post`) or a certificate assertion (`private_key_jwt`).
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
import * as oauth from "oauth4webapi";
import type { Clock } from "../deps.ts";
import type { Authority } from "../entra/authority.ts";
import { processTokenResponse, type TokenSet, toTokenSet } from "./token_response.ts";

/** How the app proves who it is. */
export type ClientCredential =
  | { kind: "secret"; secret: string }
  /** `assertion()` returns a signed JWT for the token endpoint (see entra/assertion.ts). */
  | { kind: "assertion"; assertion: () => Promise<string> };

export interface ClientCredentialsParams {
  authority: Authority;
  clientId: string;
  credential: ClientCredential;
  scope: string;
}

export interface FlowDeps {
  fetch: typeof fetch;
  clock: Clock;
}

/** Metadata for oauth4webapi without a discovery round trip (Entra's layout is fixed). */
export function authorizationServer(authority: Authority): oauth.AuthorizationServer {
  return {
    issuer: authority.issuer,
    authorization_endpoint: authority.authorizeEndpoint,
    token_endpoint: authority.tokenEndpoint,
    device_authorization_endpoint: authority.deviceCodeEndpoint,
  };
}

/** Options every oauth4webapi call gets: our fetch and the loopback-http allowance. */
export function requestOptions(authority: Authority, deps: FlowDeps) {
  return {
    [oauth.customFetch]: deps.fetch,
    [oauth.allowInsecureRequests]: authority.insecure,
  };
}

/** Client authentication for a credential. */
export function clientAuth(credential: ClientCredential): oauth.ClientAuth {
  if (credential.kind === "secret") return oauth.ClientSecretPost(credential.secret);
  return async (_as, client, body) => {
    body.set("client_id", client.client_id);
    body.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    body.set("client_assertion", await credential.assertion());
  };
}

/** Requests an app-only token. */
export async function acquireClientCredentials(
  params: ClientCredentialsParams,
  deps: FlowDeps,
): Promise<TokenSet> {
  const as = authorizationServer(params.authority);
  const client: oauth.Client = { client_id: params.clientId };
  const started = deps.clock.now();
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    clientAuth(params.credential),
    { scope: params.scope },
    requestOptions(params.authority, deps),
  );
  const result = await processTokenResponse(
    response,
    (r) => oauth.processClientCredentialsResponse(as, client, r),
  );
  return toTokenSet(result, started, [params.scope]);
}
