/**
 * Turns oidc-provider's RFC 6749 error bodies into the bodies Entra ID sends.
 *
 * Entra adds an AADSTS code to every error (`error_codes`, and `AADSTSnnnnn: …` at the start
 * of `error_description`), plus `trace_id`, `correlation_id`, `timestamp` and `error_uri`.
 * The CLI's hints and exit codes key on those codes, so the lab must produce the same ones
 * for the same mistakes. Codes/texts follow learn.microsoft.com's AADSTS reference.
 * @module
 */

/** An Entra error before it is rendered: HTTP status, OAuth `error`, AADSTS code, text. */
export interface EntraError {
  status: number;
  error: string;
  code: number;
  text: string;
}

/** What the mapper may need to know about the failed request. */
export interface ErrorContext {
  /** client_id as sent (body, Basic header or assertion `sub`). */
  clientId?: string;
  /** Tenant segment of the request path. */
  tenant: string;
  /** Registered auth method of the client, when the client exists. */
  clientAuthMethod?: string;
  /** Which credential the request carried. */
  presented: "secret" | "assertion" | "none";
  /** grant_type as sent. */
  grantType?: string;
}

/** oidc-provider error as caught by its error handler (only the fields we read). */
export interface ProviderError {
  error_detail?: string;
}

const AADSTS_PREFIX = /^AADSTS(\d+): ([\s\S]*)$/;

/** Maps an oidc-provider error response to the Entra error for the same situation. */
export function entraErrorFor(
  status: number,
  body: { error: string; error_description?: string },
  err: ProviderError | undefined,
  c: ErrorContext,
): EntraError {
  const description = body.error_description ?? "";
  // Our own hooks already speak Entra: keep their code and text.
  const own = AADSTS_PREFIX.exec(description);
  if (own) return { status, error: body.error, code: Number(own[1]), text: own[2] };
  if (body.error === "invalid_client") return clientAuthError(err?.error_detail ?? "", c);
  return protocolError(status, body.error, description, c);
}

function clientAuthError(detail: string, c: ErrorContext): EntraError {
  const app = c.clientId ?? "";
  if (detail === "client not found") {
    return {
      status: 400,
      error: "unauthorized_client",
      code: 700016,
      text: `Application with identifier '${app}' was not found in the directory '${c.tenant}'. ` +
        "This can happen if the application has not been installed by the administrator of the " +
        "tenant or consented to by any user in the tenant. You may have sent your authentication " +
        "request to the wrong tenant.",
    };
  }
  if (detail.includes("secret is expired")) {
    return invalidClient(7000222, `The provided client secret keys for app '${app}' are expired.`);
  }
  if (detail.startsWith("the provided authentication mechanism does not match")) {
    if (c.clientAuthMethod === "none") {
      return {
        status: 400,
        error: "invalid_client",
        code: 700025,
        text: "Client is public so neither 'client_assertion' nor 'client_secret' should be " +
          "presented.",
      };
    }
    if (c.presented === "none") {
      return invalidClient(
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or " +
          "'client_secret'.",
      );
    }
  }
  if (c.presented === "assertion") return assertionError(detail);
  return invalidClient(
    7000215,
    "Invalid client secret provided. Ensure the secret being sent in the request is the client " +
      `secret value, not the client secret ID, for a secret added to app '${app}'.`,
  );
}

function assertionError(detail: string): EntraError {
  if (/"exp"|"nbf"|timestamp check failed|expired/.test(detail)) {
    return invalidClient(
      700024,
      "Client assertion is not within its valid time range. Ensure that the assertion is " +
        `not expired and not used before its valid time. (${detail})`,
    );
  }
  return invalidClient(700027, `Client assertion failed signature validation. (${detail})`);
}

function invalidClient(code: number, text: string): EntraError {
  return { status: 401, error: "invalid_client", code, text };
}

/** Everything but client authentication: keep the OAuth error, pick a plausible code. */
function protocolError(status: number, error: string, desc: string, c: ErrorContext): EntraError {
  const missing = /^missing required parameters? (.+)$/.exec(desc);
  if (missing) {
    return {
      status: 400,
      error,
      code: 900144,
      // oidc-provider quotes the names ('grant_type'); Entra names exactly one.
      text: `The request body must contain the following parameter: '${
        missing[1].replace(/'/g, "")
      }'.`,
    };
  }
  if (desc === "no client authentication mechanism provided") {
    return {
      status: 400,
      error: "invalid_request",
      code: 900144,
      text: "The request body must contain the following parameter: 'client_id'.",
    };
  }
  if (desc === "requested grant type is not allowed for this client") {
    return {
      status: 400,
      error: "unauthorized_client",
      code: 9002313, // Entra's exact code for this case is not documented
      text: `The client is not authorized to use the grant type '${c.grantType ?? ""}'.`,
    };
  }
  const known = KNOWN_ERRORS[error];
  if (known) {
    return { status, error: known.error ?? error, code: known.code, text: known.text(c, desc) };
  }
  return {
    status,
    error,
    code: 9002313,
    text: `Invalid request. Request is malformed or invalid. (${desc})`,
  };
}

const KNOWN_ERRORS: Record<
  string,
  { code: number; error?: string; text: (c: ErrorContext, desc: string) => string }
> = {
  unsupported_grant_type: {
    code: 70003,
    text: (c) => `The app requested an unsupported grant type '${c.grantType ?? ""}'.`,
  },
  invalid_scope: {
    code: 70011,
    text: (_c, d) => `The provided value for the input parameter 'scope' is not valid. (${d})`,
  },
  // oidc-provider's name for a resource it cannot use; Entra reports it as a scope problem.
  invalid_target: {
    code: 70011,
    error: "invalid_scope",
    text: (_c, d) => `The provided value for the input parameter 'scope' is not valid. (${d})`,
  },
  invalid_grant: {
    code: 70000,
    text: (_c, d) => `Provided grant is invalid or malformed. (${d})`,
  },
  authorization_pending: {
    code: 70016,
    text: () => "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
  },
  expired_token: {
    code: 70019,
    text: () => "Verification code expired.",
  },
  // Entra documents no slow_down (it relies on the interval); the lab sends one when polled
  // too fast, under the pending code, so clients' RFC 8628 back-off can be tested.
  slow_down: {
    code: 70016,
    text: () => "OAuth 2.0 device flow error. Polling too fast: slow down.",
  },
  // RFC 8628 `access_denied` is `authorization_declined` at Entra (code not documented).
  access_denied: {
    code: 70000,
    error: "authorization_declined",
    text: () => "The end user declined the authorization request.",
  },
  server_error: {
    code: 90033,
    text: () => "A transient error has occurred. Please try again.",
  },
};

/** Entra's `timestamp` format: `2016-01-09 02:02:12Z`. */
export function entraTimestamp(d = new Date()): string {
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

/** Renders the JSON body Entra sends for an error. */
export function entraErrorBody(
  e: EntraError,
  ids: { traceId: string; correlationId: string; origin: string },
): Record<string, unknown> {
  const timestamp = entraTimestamp();
  return {
    error: e.error,
    error_description: `AADSTS${e.code}: ${e.text}\r\nTrace ID: ${ids.traceId}\r\n` +
      `Correlation ID: ${ids.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [e.code],
    timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
    error_uri: `${ids.origin}/error?code=${e.code}`,
  };
}
