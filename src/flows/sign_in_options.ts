/**
 * What `get-token` lets a person tune about a user sign-in (SPEC §1.1), and what
 * every user flow is handed. Only types live here, so the command line can name
 * them without loading any flow.
 */
import type { Deps } from "../deps.ts";
import type { Authority } from "../entra/authority.ts";
import type { Reporter } from "../output/reporter.ts";

/** An inclusive port range, as given to `--port-range 8000-8100`. */
export interface PortRange {
  from: number;
  to: number;
}

/** Sign-in settings from the command line; every field is optional. */
export interface SignInOptions {
  /** `--port`: the one loopback port to listen on. */
  port?: number;
  /** `--port-range`: any free port in this range. */
  portRange?: PortRange;
  /** `--redirect-uri`: AuthorizationCode's fixed redirect (InteractiveBrowser: host and path). */
  redirectUri?: string;
  /** `--show-url`: print the sign-in URL on stderr as well as opening it. */
  showUrl?: boolean;
  /** `--no-browser` sets this to false: print the URL and wait. */
  openBrowser?: boolean;
  /** `--timeout`: how long to wait for the person (browser default 5 min; device: the code's life). */
  timeoutMs?: number;
}

/** What a user flow runs with. */
export interface SignInContext {
  deps: Deps;
  reporter: Reporter;
  /** The retrying (and, with --verbose, logging) fetch. */
  fetch: typeof fetch;
  /** Aborted by Ctrl-C, with a CancelledError as the reason. */
  signal: AbortSignal;
}

/** Who signs in where, for which scopes. */
export interface SignInTarget {
  authority: Authority;
  clientId: string;
  /** The scopes asked for (without the OIDC ones the flows add). */
  scopes: string[];
  options: SignInOptions;
}
