/**
 * Turns Entra error bodies into CLI errors: the exit-code class comes from the
 * OAuth `error` and `error_codes` (never from the description text, which Microsoft
 * changes), plus a plain hint for the common AADSTS codes (SPEC §3).
 */
import { type CliError, CredentialError, InteractionError, ServiceError } from "../errors.ts";

/** The fields of an Entra error body we use. */
export interface EntraErrorBody {
  error: string;
  error_description?: string;
  error_codes?: number[];
  trace_id?: string;
  correlation_id?: string;
}

const HINTS: Record<number, string> = {
  50011: "The redirect URI is not registered: add it under App registrations → Authentication",
  50059: "The tenant was not found: check --tenant and the cloud (--cloud/--authority-host)",
  90002: "The tenant was not found: check --tenant and the cloud (--cloud/--authority-host)",
  90038: "The tenant belongs to another national cloud: use --cloud",
  70011: "The scope is not valid for this app: check --scope and the app's API permissions",
  700022: "Ask for one resource per token: use a single '<resource>/.default'",
  1002012: "Client credentials need '<resource>/.default' as the scope",
  500011: "The resource was not found in the tenant: check the scope's resource URI",
  7000215: "The client secret is wrong: rotate it in the portal and update the profile",
  7000222: "The client secret has expired: create a new one and update the profile",
  70002: "The client credentials are wrong for this app",
  700016: "The application was not found in the tenant: check --client-id and --tenant",
  700011: "The application was not found in the tenant: check --client-id and --tenant",
  50076: "Multi-factor authentication is required: sign in interactively",
  50079: "Multi-factor authentication enrollment is required: sign in interactively",
  65001: "Consent is missing: grant admin consent or sign in interactively to consent",
  53003: "Blocked by Conditional Access: use the browser flow from a compliant device",
  70043: "The refresh token has expired: sign in again",
  700082: "The refresh token has expired from inactivity: sign in again",
  700024: "The client assertion is outside its valid time: check the system clock",
  700027:
    "The certificate was not accepted: check that it is registered on the app (compare the thumbprints with 'config show')",
  50012: "The certificate is not registered for this app",
  // Certificates (issue #3); `config show -p NAME` prints the thumbprints to compare.
  7000214: "The certificate has been revoked: register a new certificate on the app",
  7000213: "Entra rejected the certificate chain sent as x5c: check --send-x5c and the chain",
  1000502: "The certificate is outside its validity period: renew it and register the new one",
  700030: "The certificate's subject is not trusted for this app (subject name + issuer)",
  50048: "The assertion's subject does not match its issuer: both must be the client ID",
  7000218: "Public client flows are disabled: enable 'Allow public client flows' or use a secret",
  700025: "A public client must not send a secret: use a profile without one",
  90055: "Entra is throttling this tenant: wait and cache tokens",
};

const INTERACTION_ERRORS = new Set([
  "interaction_required",
  "consent_required",
  "login_required",
  "access_denied",
  "authorization_declined",
  "expired_token",
  "bad_verification_code",
]);
const INTERACTION_CODES = new Set([
  50076,
  50079,
  50074,
  65001,
  53000,
  53001,
  53003,
  530032,
  70043,
  700082,
  50173,
  50058,
  70019,
]);

/** The AADSTS code of a body, from `error_codes` or the description's prefix. */
export function aadstsCode(body: EntraErrorBody): number | undefined {
  if (Array.isArray(body.error_codes) && typeof body.error_codes[0] === "number") {
    return body.error_codes[0];
  }
  const m = /^AADSTS(\d+)/.exec(body.error_description ?? "");
  return m ? Number(m[1]) : undefined;
}

/** Builds the CLI error for an Entra error response. */
export function entraError(body: EntraErrorBody, status: number): CliError {
  const code = aadstsCode(body);
  const Class = status >= 500 || status === 429 || body.error === "temporarily_unavailable"
    ? ServiceError
    : INTERACTION_ERRORS.has(body.error) || (code !== undefined && INTERACTION_CODES.has(code))
    ? InteractionError
    : CredentialError;
  const summary = firstLine(body.error_description) ?? body.error;
  const message = code !== undefined && !summary.startsWith("AADSTS")
    ? `AADSTS${code}: ${summary}`
    : summary;
  const hints: string[] = [];
  if (code !== undefined && HINTS[code]) hints.push(HINTS[code]);
  const ids = [
    body.trace_id ? `Trace ID: ${body.trace_id}` : undefined,
    body.correlation_id ? `Correlation ID: ${body.correlation_id}` : undefined,
  ].filter(Boolean);
  if (ids.length) hints.push(ids.join("  "));
  return new Class(`ENTRA_${body.error.toUpperCase()}`, `Entra rejected the request: ${message}`, {
    hints,
    cause: { status, ...body },
  });
}

function firstLine(text: string | undefined): string | undefined {
  const line = text?.split(/\r?\n/)[0]?.trim();
  return line ? line : undefined;
}
