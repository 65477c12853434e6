/**
 * AuthorizationCode (SPEC §5): the same browser sign-in, on the app's fixed
 * redirect URI (`--redirect-uri`, else the profile's, else http://localhost:8080).
 * A confidential web app also proves itself with its secret or certificate.
 */
import { UsageError } from "../errors.ts";
import { browserSignIn } from "./browser_sign_in.ts";
import type { ClientCredential } from "./client_credentials.ts";
import { DEFAULT_AUTH_CODE_REDIRECT, parseLoopbackRedirect } from "./redirect_uri.ts";
import type { SignInContext, SignInTarget } from "./sign_in_options.ts";
import type { TokenSet } from "./token_response.ts";

/** The flow's inputs beyond the common ones. */
export interface AuthorizationCodeRequest extends SignInTarget {
  /** The profile's redirect URI, if it has one. */
  profileRedirectUri?: string;
  /** Loads the secret or certificate assertion (undefined for a public client). */
  credential?: () => Promise<ClientCredential>;
}

/** Runs the flow. */
export async function authorizationCode(
  req: AuthorizationCodeRequest,
  ctx: SignInContext,
): Promise<TokenSet> {
  const { options } = req;
  if (options.port !== undefined || options.portRange !== undefined) {
    throw new UsageError(
      "PORT_NOT_APPLICABLE",
      "--port and --port-range choose InteractiveBrowser's port; AuthorizationCode listens on its redirect URI",
      { hints: ["Change the redirect instead, e.g. --redirect-uri http://localhost:8081"] },
    );
  }
  const redirectUri = options.redirectUri ?? req.profileRedirectUri ?? DEFAULT_AUTH_CODE_REDIRECT;
  const source = options.redirectUri ? "URI (--redirect-uri)" : "URI";
  const redirect = parseLoopbackRedirect(redirectUri, source);
  const port = redirect.port ?? 80;
  // Loaded before the browser opens: a missing secret should fail now, not after sign-in.
  const credential = await req.credential?.();
  return await browserSignIn({
    ...req,
    credential,
    ports: [port],
    portsLabel: `port ${port}`,
    portsHint: "Stop what uses it, or use another redirect URI registered on the app " +
      "(--redirect-uri http://localhost:8081)",
    // Sent exactly as registered: Entra compares redirect URIs as strings.
    redirectUriFor: () => redirectUri,
    path: redirect.path,
    receivedLine: "Authorization code received",
    detailLine: `Redirect URI: ${redirectUri}`,
  }, ctx);
}
