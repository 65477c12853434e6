/** Loopback redirect URIs: the only kind a command-line tool can receive. */
import { UsageError } from "../errors.ts";

/** The default AuthorizationCode redirect (SPEC §1.1), registered on web apps. */
export const DEFAULT_AUTH_CODE_REDIRECT = "http://localhost:8080";

/** Entra matches `http://localhost` on any port, so one registration fits every run. */
export const DEFAULT_BROWSER_REDIRECT = "http://localhost";

/** A checked loopback redirect URI. */
export interface LoopbackRedirect {
  /** `localhost` or `127.0.0.1` (Entra does not support `[::1]`). */
  host: string;
  /** The explicit port, if the URI has one. */
  port?: number;
  /** `/` when the URI has no path. */
  path: string;
}

/**
 * Parses a redirect URI we can listen on: plain http on localhost or 127.0.0.1,
 * no query or fragment. Anything else cannot reach this process.
 */
export function parseLoopbackRedirect(value: string, source: string): LoopbackRedirect {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch { /* reported below */ }
  const host = url?.hostname;
  if (!url || url.protocol !== "http:" || (host !== "localhost" && host !== "127.0.0.1")) {
    throw new UsageError(
      "REDIRECT_URI_UNSUPPORTED",
      `cannot receive the redirect ${source} '${value}'`,
      {
        hints: [
          "Use a loopback address such as http://localhost:8080 (registered on the app)",
        ],
      },
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new UsageError(
      "REDIRECT_URI_UNSUPPORTED",
      `the redirect ${source} '${value}' has extra parts`,
      {
        hints: ["Give the scheme, host, port and path only, e.g. http://localhost:8080/callback"],
      },
    );
  }
  return { host, port: url.port ? Number(url.port) : undefined, path: url.pathname };
}

/** `http://localhost:PORT` plus the path, without adding a trailing slash Entra would not match. */
export function loopbackUri(r: LoopbackRedirect, port: number): string {
  return `http://${r.host}:${port}${r.path === "/" ? "" : r.path}`;
}
