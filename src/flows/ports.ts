/** Which loopback ports a browser sign-in tries, in order (SPEC §1.1 `--port`, `--port-range`). */
import type { Random } from "../deps.ts";
import type { PortRange, SignInOptions } from "./sign_in_options.ts";

/** The IANA dynamic range: where no registered service lives. */
export const DEFAULT_PORT_RANGE: PortRange = { from: 49152, to: 65535 };

/** Enough tries to step over a few busy ports without scanning a whole range. */
const MAX_ATTEMPTS = 64;

/**
 * The fixed port alone, or up to MAX_ATTEMPTS ports of the range starting at a
 * random one and wrapping around, so two sign-ins at once rarely collide.
 */
export function candidatePorts(
  options: Pick<SignInOptions, "port" | "portRange">,
  random: Random,
  fallback: PortRange = DEFAULT_PORT_RANGE,
): number[] {
  if (options.port !== undefined) return [options.port];
  const { from, to } = options.portRange ?? fallback;
  const size = to - from + 1;
  const [a, b, c, d] = random.bytes(4);
  const start = (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) % size;
  const ports: number[] = [];
  for (let i = 0; i < Math.min(size, MAX_ATTEMPTS); i++) ports.push(from + (start + i) % size);
  return ports;
}

/** How to describe the ports in an error: "port 8080" or "ports 8000-8100". */
export function describePorts(options: Pick<SignInOptions, "port" | "portRange">): string {
  if (options.port !== undefined) return `port ${options.port}`;
  const { from, to } = options.portRange ?? DEFAULT_PORT_RANGE;
  return from === to ? `port ${from}` : `ports ${from}-${to}`;
}
