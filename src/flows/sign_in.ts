/**
 * The user sign-in flows (issue #5), loaded only when a person has to sign in:
 * the interaction policy, Ctrl-C, the headless fallback from InteractiveBrowser
 * to DeviceCode, and the hand-off to one file per flow.
 */
import type { Deps } from "../deps.ts";
import { InteractionError } from "../errors.ts";
import type { Authority } from "../entra/authority.ts";
import type { Reporter } from "../output/reporter.ts";
import type { FlowName } from "../profile/flows.ts";
import { authorizationCode } from "./authorization_code.ts";
import type { ClientCredential } from "./client_credentials.ts";
import { deviceCode } from "./device_code.ts";
import { interactiveBrowser } from "./interactive_browser.ts";
import type { SignInContext, SignInOptions, SignInTarget } from "./sign_in_options.ts";
import type { TokenSet } from "./token_response.ts";

/** One sign-in, as the token service asks for it. */
export interface SignInRequest {
  flow: Exclude<FlowName, "ClientCredentials">;
  authority: Authority;
  clientId: string;
  scopes: string[];
  options: SignInOptions;
  /** The interaction policy's verdict (SPEC §1.1), made by the caller. */
  mayAskPerson: boolean;
  /** Profile name for hints; null for the AZURE_* profile. */
  profile: string | null;
  /** AuthorizationCode: the profile's redirect URI. */
  redirectUri?: string;
  /** AuthorizationCode: the app's secret or certificate, for confidential apps. */
  credential?: () => Promise<ClientCredential>;
}

/** Signs a person in; the TokenSet names the flow when it differs (headless fallback). */
export async function signIn(
  req: SignInRequest,
  run: { deps: Deps; reporter: Reporter; fetch: typeof fetch },
): Promise<TokenSet> {
  if (!req.mayAskPerson) throw nobodyToAsk(req);
  const trap = run.deps.interrupts.trap();
  try {
    const ctx: SignInContext = { ...run, signal: trap.signal };
    const target: SignInTarget = {
      authority: req.authority,
      clientId: req.clientId,
      scopes: req.scopes,
      options: req.options,
    };
    if (req.flow === "DeviceCode") return await deviceCode(target, ctx);
    if (req.flow === "AuthorizationCode") {
      return await authorizationCode(
        { ...target, profileRedirectUri: req.redirectUri, credential: req.credential },
        ctx,
      );
    }
    if (req.options.openBrowser !== false && !(await run.deps.browser.canOpen())) {
      // Shown even with --silent: the device-code message that follows needs explaining.
      run.deps.io.stderr.write("No display detected. Falling back to device code flow.\n");
      return { ...await deviceCode(target, ctx), flow: "DeviceCode" };
    }
    return await interactiveBrowser(target, ctx);
  } finally {
    trap.release();
  }
}

/**
 * Nobody at a terminal and the flow only inferred (e.g. a cron job whose refresh
 * token expired): stop at once instead of waiting minutes for nobody (exit 4).
 */
function nobodyToAsk(req: SignInRequest): InteractionError {
  const p = req.profile ? ` -p ${req.profile}` : "";
  return new InteractionError(
    "INTERACTION_REQUIRED",
    `signing in (${req.flow}) needs a person, and no terminal is attached to ask one`,
    {
      hints: [
        `Sign in once from a terminal: entra-auth-cli get-token${p}`,
        `To wait for a person anyway, name the flow: --flow ${req.flow} (or set the profile's default flow)`,
        "Unattended jobs should use an app credential (ClientCredentials) instead",
      ],
    },
  );
}
