/**
 * The refresh-token grant: a new access token for a signed-in user without asking
 * them again. Entra may rotate the refresh token; the caller stores the new one.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
import * as oauth from "oauth4webapi";
import type { Authority } from "../entra/authority.ts";
import {
  authorizationServer,
  clientAuth,
  type ClientCredential,
  type FlowDeps,
  requestOptions,
} from "./client_credentials.ts";
import { processTokenResponse, type TokenSet, toTokenSet } from "./token_response.ts";

export interface RefreshParams {
  authority: Authority;
  clientId: string;
  /** Confidential clients (web apps) authenticate; public clients send none. */
  credential?: ClientCredential;
  refreshToken: string;
  scopes: string[];
}

/** Redeems a refresh token. */
export async function refreshTokenGrant(params: RefreshParams, deps: FlowDeps): Promise<TokenSet> {
  const as = authorizationServer(params.authority);
  const client: oauth.Client = { client_id: params.clientId };
  const started = deps.clock.now();
  // `openid` is left out on purpose: no ID token comes back, so there is none to
  // validate against an issuer that differs when the tenant was given as a domain.
  const scope = [
    ...params.scopes.filter((s) => s !== "openid" && s !== "profile"),
    "offline_access",
  ];
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client,
    params.credential ? clientAuth(params.credential) : oauth.None(),
    params.refreshToken,
    {
      ...requestOptions(params.authority, deps),
      additionalParameters: { scope: [...new Set(scope)].join(" ") },
    },
  );
  const result = await processTokenResponse(
    response,
    (r) => oauth.processRefreshTokenResponse(as, client, r),
  );
  return toTokenSet(result, started, params.scopes);
}
