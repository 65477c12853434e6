/**
 * `--verbose` protocol diagnostics. Logs an allow-list: method, URL, parameter
 * names with values only for harmless fields, status, timing and Entra's error
 * identifiers. Tokens, secrets, codes and assertions never reach the log.
 */

const SHOWN_PARAMS = new Set([
  "grant_type",
  "client_id",
  "scope",
  "client_assertion_type",
  "redirect_uri",
  "response_type",
  "code_challenge_method",
]);

/** Wraps `inner` so each request and response is described through `log`. */
export function createLoggingFetch(
  inner: typeof fetch,
  log: (line: string) => void,
  now: () => number,
): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    log(`→ ${method} ${url}${describeBody(init?.body)}`);
    const started = now();
    const response = await inner(input, init);
    const elapsed = now() - started;
    log(`← HTTP ${response.status} in ${elapsed} ms${await describeError(response)}`);
    return response;
  };
}

/** Parameter names, with values only for the allow-listed ones. */
export function describeBody(body: BodyInit | null | undefined): string {
  if (!(body instanceof URLSearchParams)) return "";
  const parts = [...body.entries()].map(([k, v]) =>
    SHOWN_PARAMS.has(k) ? `${k}=${v}` : `${k}=<redacted>`
  );
  return parts.length ? ` (${parts.join(" ")})` : "";
}

async function describeError(response: Response): Promise<string> {
  if (response.ok) return "";
  try {
    const body = await response.clone().json();
    const fields = ["error", "error_codes", "trace_id", "correlation_id"]
      .filter((k) => body?.[k] !== undefined)
      .map((k) => `${k}=${JSON.stringify(body[k])}`);
    return fields.length ? ` (${fields.join(" ")})` : "";
  } catch {
    return "";
  }
}
