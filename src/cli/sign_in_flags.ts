/** Parsing of get-token's sign-in flags: `--port`, `--port-range`, `--timeout` and friends. */
import { UsageError } from "../errors.ts";
import type { PortRange, SignInOptions } from "../flows/sign_in_options.ts";
import { parseDuration } from "./durations.ts";

/** Raw commander values of the sign-in flags (`--no-browser` arrives as `browser: false`). */
export interface SignInFlags {
  port?: string;
  portRange?: string;
  redirectUri?: string;
  showUrl?: boolean;
  browser?: boolean;
  timeout?: string;
}

/** A TCP port number, 1–65535. */
export function parsePort(value: string, flag = "--port"): number {
  const text = value.trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new UsageError(
      "PORT_INVALID",
      `invalid ${flag} '${value}': use a number from 1 to 65535`,
    );
  }
  return port;
}

/** `8000-8100` → `{ from: 8000, to: 8100 }`; a single port is a range of one. */
export function parsePortRange(value: string): PortRange {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
  if (!m) {
    throw new UsageError("PORT_RANGE_INVALID", `invalid --port-range '${value}'`, {
      hints: ["Use two ports joined by a dash, e.g. --port-range 8000-8100"],
    });
  }
  const from = parsePort(m[1], "--port-range");
  const to = m[2] === undefined ? from : parsePort(m[2], "--port-range");
  if (from > to) {
    throw new UsageError("PORT_RANGE_INVALID", `invalid --port-range '${value}': ${from} > ${to}`);
  }
  return { from, to };
}

/** Validates the sign-in flags once (pure). */
export function parseSignInFlags(flags: SignInFlags): SignInOptions {
  if (flags.port !== undefined && flags.portRange !== undefined) {
    throw new UsageError("PORT_CONFLICT", "use --port or --port-range, not both");
  }
  const options: SignInOptions = {};
  if (flags.port !== undefined) options.port = parsePort(flags.port);
  if (flags.portRange !== undefined) options.portRange = parsePortRange(flags.portRange);
  if (flags.redirectUri !== undefined) options.redirectUri = flags.redirectUri.trim();
  if (flags.showUrl) options.showUrl = true;
  if (flags.browser === false) options.openBrowser = false;
  if (flags.timeout !== undefined) {
    const ms = parseDuration(flags.timeout, "--timeout");
    if (ms <= 0) throw new UsageError("DURATION_INVALID", "--timeout must be longer than zero");
    options.timeoutMs = ms;
  }
  return options;
}
