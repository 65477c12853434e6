/**
 * InteractiveBrowser (SPEC §5): a public client signs the person in through the
 * system browser, with the redirect on `http://localhost:<free port>`.
 */
import { browserSignIn } from "./browser_sign_in.ts";
import { candidatePorts, describePorts } from "./ports.ts";
import { DEFAULT_BROWSER_REDIRECT, loopbackUri, parseLoopbackRedirect } from "./redirect_uri.ts";
import type { SignInContext, SignInTarget } from "./sign_in_options.ts";
import type { TokenSet } from "./token_response.ts";

/** Runs the flow. `--redirect-uri` may change the host or path; the port is ours to pick. */
export async function interactiveBrowser(
  target: SignInTarget,
  ctx: SignInContext,
): Promise<TokenSet> {
  const { options } = target;
  const base = parseLoopbackRedirect(
    options.redirectUri ?? DEFAULT_BROWSER_REDIRECT,
    "URI (--redirect-uri)",
  );
  // A port in --redirect-uri counts like --port; --port and --port-range win over it.
  const ports = {
    port: options.port ?? (options.portRange ? undefined : base.port),
    portRange: options.portRange,
  };
  return await browserSignIn({
    ...target,
    ports: candidatePorts(ports, ctx.deps.random),
    portsLabel: describePorts(ports),
    portsHint: "Pick another with --port or --port-range, or leave both out for any free port",
    redirectUriFor: (port) => loopbackUri(base, port),
    path: base.path,
    receivedLine: "Authentication successful",
  }, ctx);
}
