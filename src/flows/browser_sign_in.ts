/**
 * The browser sign-in both InteractiveBrowser and AuthorizationCode use: a
 * loopback listener, the authorize URL with PKCE S256 and a random state, the
 * browser (or the printed URL), one valid redirect, then the code exchange.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
import * as oauth from "oauth4webapi";
import { InteractionError, ServiceError, UsageError } from "../errors.ts";
import { entraError } from "../entra/errors.ts";
import { authorizationServer, clientAuth, type ClientCredential } from "./client_credentials.ts";
import { createCallbackWaiter } from "./loopback_callback.ts";
import { createSignInSecrets, type SignInSecrets } from "./pkce.ts";
import type { SignInContext, SignInTarget } from "./sign_in_options.ts";
import type { TokenSet } from "./token_response.ts";
import {
  formatWait,
  signInRequestOptions,
  unlessInterrupted,
  userScopes,
  userTokenSet,
} from "./user_token.ts";

/** How long a browser sign-in may take unless `--timeout` says otherwise. */
export const BROWSER_TIMEOUT_MS = 5 * 60_000;

/** Where the redirect lands and how the app authenticates. */
export interface BrowserSignIn extends SignInTarget {
  /** Ports to try, in order. */
  ports: number[];
  /** What the ports mean, for the error when all are taken ("port 8080"). */
  portsLabel: string;
  /** What to do about it. */
  portsHint: string;
  /** The redirect URI for the port we got. */
  redirectUriFor(port: number): string;
  /** Path the redirect arrives on. */
  path: string;
  /** Confidential AuthorizationCode apps only; public clients send PKCE alone. */
  credential?: ClientCredential;
  /** Printed when the redirect arrives: the flow's own wording. */
  receivedLine: string;
  /** Printed once the sign-in is under way (AuthorizationCode names its redirect URI). */
  detailLine?: string;
}

/** Signs a person in through the browser and redeems the code. */
export async function browserSignIn(req: BrowserSignIn, ctx: SignInContext): Promise<TokenSet> {
  const { deps, reporter } = ctx;
  const secrets = await createSignInSecrets(deps.random);
  const waiter = createCallbackWaiter({
    path: req.path,
    state: secrets.state,
    onIgnored: (reason) => reporter.warn(`Ignored a request to the sign-in listener: ${reason}`),
  });
  const server = await deps.listen({ ports: req.ports, handler: waiter.handler });
  if (!server) {
    throw new UsageError("PORT_IN_USE", `cannot listen on 127.0.0.1: ${req.portsLabel} in use`, {
      hints: [req.portsHint],
    });
  }
  const redirectUri = req.redirectUriFor(server.port);
  let params: URLSearchParams;
  const finished = new AbortController();
  try {
    const url = authorizeUrl(req, redirectUri, secrets);
    present(url, req, ctx, finished.signal);
    params = await waitForRedirect(waiter.result, req.options.timeoutMs, ctx, finished.signal);
  } finally {
    finished.abort();
    await server.close();
  }
  const callback = checkRedirect(req, params, secrets.state);
  reporter.success(req.receivedLine);
  return await redeem(req, { callback, redirectUri, verifier: secrets.codeVerifier }, ctx);
}

/** The authorize request as a URL the browser opens. */
export function authorizeUrl(req: SignInTarget, redirectUri: string, s: SignInSecrets): string {
  const url = new URL(req.authority.authorizeEndpoint);
  url.search = new URLSearchParams({
    client_id: req.clientId,
    response_type: "code",
    redirect_uri: redirectUri,
    scope: userScopes(req.scopes).join(" "),
    state: s.state,
    code_challenge: s.codeChallenge,
    code_challenge_method: "S256",
    // What MSAL sends: the person picks (or confirms) the account to use.
    prompt: "select_account",
  }).toString();
  return url.href;
}

/**
 * Opens the browser, or prints the URL. The URL is shown even with --silent
 * whenever the person needs it (no browser, or the launcher failed), since
 * nobody could sign in otherwise (peers' pain point #4).
 */
function present(url: string, req: BrowserSignIn, ctx: SignInContext, finished: AbortSignal) {
  const { deps, reporter } = ctx;
  const show = (text: string) => deps.io.stderr.write(`${text}\n  ${url}\n`);
  if (req.options.openBrowser === false) {
    show("Open this URL in a browser to sign in:");
  } else {
    if (req.options.showUrl) show("Sign-in URL:");
    reporter.info("Opening browser for authentication...");
    deps.browser.open(url).catch((err) => {
      if (finished.aborted) return;
      const why = err instanceof Error ? err.message : String(err);
      show(`Could not open a browser (${why}). Open this URL to sign in:`);
    });
  }
  if (req.detailLine) reporter.info(req.detailLine);
  reporter.info("Waiting for sign-in... (Ctrl-C to cancel)");
}

/** The redirect's query, unless the timeout or Ctrl-C comes first. */
async function waitForRedirect(
  result: Promise<URLSearchParams>,
  timeoutMs: number | undefined,
  ctx: SignInContext,
  finished: AbortSignal,
): Promise<URLSearchParams> {
  const limit = timeoutMs ?? BROWSER_TIMEOUT_MS;
  const timeout = ctx.deps.clock.sleep(limit, AbortSignal.any([ctx.signal, finished])).then(
    () => {
      throw new InteractionError(
        "SIGN_IN_TIMEOUT",
        `nobody signed in within ${formatWait(limit)}`,
        {
          hints: [
            "Run the command again and finish signing in, or allow longer with --timeout",
            "No browser here? Use --flow DeviceCode to sign in on another device",
          ],
        },
      );
    },
    (err) => {
      if (ctx.signal.aborted) throw err; // Ctrl-C: the CancelledError
      return new Promise<never>(() => {}); // the sign-in finished first
    },
  );
  return await Promise.race([result, timeout]);
}

/** Entra's answer on the redirect: its error (exit 3/4), or the code for the token request. */
function checkRedirect(req: SignInTarget, params: URLSearchParams, state: string) {
  // Entra sends no `iss` on the redirect (RFC 9207); when a server does, it names the
  // tenant GUID even for a `common` or domain authority. With one authority there is
  // no mix-up to defend against, so it is not compared.
  const received = new URLSearchParams(params);
  received.delete("iss");
  const error = received.get("error");
  if (error !== null) {
    throw entraError({
      error,
      error_description: received.get("error_description") ?? undefined,
      trace_id: received.get("trace_id") ?? undefined,
      correlation_id: received.get("correlation_id") ?? undefined,
    }, 400);
  }
  if (!received.get("code")) {
    throw new ServiceError(
      "CALLBACK_INVALID",
      "the sign-in redirect carried no authorization code",
    );
  }
  const as = authorizationServer(req.authority);
  return oauth.validateAuthResponse(as, { client_id: req.clientId }, received, state);
}

/** The token request: code + verifier (+ the client's credential when it has one). */
async function redeem(
  req: BrowserSignIn,
  c: { callback: URLSearchParams; redirectUri: string; verifier: string },
  ctx: SignInContext,
): Promise<TokenSet> {
  const as = authorizationServer(req.authority);
  const client: oauth.Client = { client_id: req.clientId };
  const deps = { fetch: ctx.fetch, clock: ctx.deps.clock };
  const started = ctx.deps.clock.now();
  const response = await unlessInterrupted(ctx.signal, () =>
    oauth.authorizationCodeGrantRequest(
      as,
      client,
      req.credential ? clientAuth(req.credential) : oauth.None(),
      c.callback,
      c.redirectUri,
      c.verifier,
      signInRequestOptions(req.authority, deps, ctx.signal),
    ));
  return await userTokenSet(
    response,
    { authority: req.authority, clientId: req.clientId, started, scopes: req.scopes },
    (as, client, r) => oauth.processAuthorizationCodeResponse(as, client, r),
  );
}
