/**
 * A fetch wrapper with bounded retries (SPEC §7): exponential backoff with jitter
 * for network errors, 429 and 5xx, honouring Retry-After; no retry for other 4xx.
 * When retries run out, a network error becomes a ServiceError (exit 5) and the
 * last HTTP response is returned for the caller to report.
 */
import type { Clock } from "../deps.ts";
import { ServiceError } from "../errors.ts";

export interface RetryOptions {
  clock: Clock;
  /** Attempts in all, including the first. */
  attempts?: number;
  baseDelayMs?: number;
  /** Upper bound for one wait, including a server's Retry-After. */
  maxDelayMs?: number;
  /** Upper bound for the whole call, waits included. */
  budgetMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** Called before each wait, for `--verbose`. */
  onRetry?: (reason: string, delayMs: number) => void;
  random?: () => number;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

/** Wraps `inner` with the retry policy. */
export function createRetryingFetch(inner: typeof fetch, options: RetryOptions): typeof fetch {
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const budget = options.budgetMs ?? 45_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const random = options.random ?? Math.random;
  const { clock } = options;

  return async (input, init) => {
    const started = clock.now();
    for (let attempt = 1;; attempt++) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await inner(input, {
          ...init,
          signal: init?.signal ?? AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        if (!isRetryableNetworkError(err)) throw networkError(input, err);
        failure = err;
      }
      if (response && !RETRY_STATUS.has(response.status)) return response;
      const backoff = base * 2 ** (attempt - 1) * (0.75 + random() * 0.5);
      const hinted = response ? retryAfterMs(response, clock.now()) : undefined;
      const delay = Math.min(maxDelay, hinted ?? backoff);
      const outOfTime = clock.now() - started + delay > budget;
      if (attempt >= attempts || outOfTime) {
        if (response) return response;
        throw networkError(input, failure);
      }
      await response?.body?.cancel();
      options.onRetry?.(response ? `HTTP ${response.status}` : describe(failure), delay);
      await clock.sleep(delay, init?.signal ?? undefined);
    }
  };
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date). */
export function retryAfterMs(response: Response, now: number): number | undefined {
  const value = response.headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Certificate problems will not fix themselves; everything else on the wire might. */
function isRetryableNetworkError(err: unknown): boolean {
  if (err instanceof DOMException && err.name === "AbortError") return false;
  // Only trust problems are final. A connection dropped mid-TLS ("peer closed
  // connection without sending TLS close_notify") is a keep-alive race: retry it.
  return !/certificate|UnknownIssuer|CA file|handshake/i.test(describe(err));
}

function networkError(input: RequestInfo | URL, err: unknown): ServiceError {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const reason = describe(err);
  const hints = /certificate|UnknownIssuer/i.test(reason)
    ? [
      "The server's TLS certificate is not trusted: for a corporate proxy or test CA set DENO_CERT=<ca.pem>",
    ]
    : ["Check the network, HTTPS_PROXY/NO_PROXY and the authority host"];
  return new ServiceError("NETWORK", `cannot reach ${url.origin}: ${reason}`, {
    cause: err,
    hints,
  });
}

function describe(err: unknown): string {
  if (err instanceof DOMException && err.name === "TimeoutError") return "timed out";
  let e = err as { message?: string; cause?: unknown } | undefined;
  let text = "";
  // fetch wraps the useful part ("Connection refused", "UnknownIssuer") in causes.
  for (let depth = 0; e && depth < 4; depth++) {
    if (e.message) text = e.message;
    e = e.cause as typeof e;
  }
  return text
    .replace(/error sending request for url \([^)]*\):\s*/i, "")
    .replace(/client error \((Connect|SendRequest)\):\s*/i, "")
    .replace(/\s+/g, " ")
    .slice(0, 160) || "network error";
}
