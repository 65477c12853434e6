/**
 * The lab "directory": the tenant and the app registrations the test IdP knows about.
 *
 * Tests import these constants instead of repeating GUIDs, so this file is the one place
 * where a client is added. Clients that need per-test material (e.g. a certificate
 * client's public key) are not listed here: tests pass them to the IdP through
 * `IDP_EXTRA_CLIENTS` (see `startIdp({ extraClients })`), built with
 * {@link certificateClientMetadata}.
 * @module
 */

import { createHash, X509Certificate } from "node:crypto";

/** Tenant id of the lab tenant (a fixed GUID, like a real directory id). */
export const TENANT_ID = "7e57c0de-0000-4000-8000-000000000001";
/** Verified domain of the lab tenant; `/{TENANT_DOMAIN}/...` routes to the same tenant. */
export const TENANT_DOMAIN = "contoso.example";
/** Multi-tenant aliases Entra accepts in the authority path. */
export const TENANT_ALIASES = ["common", "organizations"] as const;

/** Confidential app for the client-credentials flow (secret, `client_secret_post`/basic). */
export const CONFIDENTIAL_CLIENT_ID = "c1e47000-0000-4000-8000-00000000c0de";
/** Client secret of {@link CONFIDENTIAL_CLIENT_ID} (Entra-like shape: has `~` and `.`). */
export const CONFIDENTIAL_CLIENT_SECRET = "lab~S3cret.For-Client_Credentials0123456789";

/** Public native client (no secret) for device code, browser and auth-code flows. */
export const PUBLIC_CLIENT_ID = "9b11c000-0000-4000-8000-0000000000a1";

/** Confidential web app for the AuthorizationCode flow on its fixed redirect URI. */
export const WEB_APP_CLIENT_ID = "3eb0a990-0000-4000-8000-0000000000b2";
/** Client secret of {@link WEB_APP_CLIENT_ID}. */
export const WEB_APP_CLIENT_SECRET = "lab~Web.App-Secret_0123456789abcdefghij";
/** The SPEC's default AuthorizationCode redirect URI, registered for the web app. */
export const WEB_APP_REDIRECT_URI = "http://localhost:8080";

/** oidc-provider client metadata (loose on purpose: it is passed through as JSON). */
export type ClientMetadata = Record<string, unknown>;

const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** The built-in app registrations, as oidc-provider client metadata. */
export function labClients(): ClientMetadata[] {
  return [
    {
      client_id: CONFIDENTIAL_CLIENT_ID,
      client_secret: CONFIDENTIAL_CLIENT_SECRET,
      // oidc-provider accepts post and basic interchangeably for a secret client.
      token_endpoint_auth_method: "client_secret_post",
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: PUBLIC_CLIENT_ID,
      // "native" lets loopback redirect URIs match on any port (RFC 8252 §7.3), like Entra.
      application_type: "native",
      token_endpoint_auth_method: "none",
      redirect_uris: ["http://localhost", "http://127.0.0.1/callback", "http://localhost/callback"],
      grant_types: ["authorization_code", "refresh_token", DEVICE_CODE_GRANT],
      response_types: ["code"],
    },
    {
      client_id: WEB_APP_CLIENT_ID,
      client_secret: WEB_APP_CLIENT_SECRET,
      token_endpoint_auth_method: "client_secret_post",
      application_type: "native", // allows the plain-http localhost redirect URI
      redirect_uris: [WEB_APP_REDIRECT_URI, `${WEB_APP_REDIRECT_URI}/callback`],
      grant_types: ["authorization_code", "refresh_token", "client_credentials"],
      response_types: ["code"],
    },
  ];
}

/**
 * Metadata for an app that authenticates with a certificate (`private_key_jwt`), built
 * from the certificate's PEM. The JWK carries `x5t`/`x5t#S256` so the IdP can check the
 * assertion header's thumbprint the way Entra does. Pass the result to
 * `startIdp({ extraClients: [...] })`.
 */
export function certificateClientMetadata(clientId: string, certPem: string): ClientMetadata {
  const cert = new X509Certificate(certPem);
  const jwk = cert.publicKey.export({ format: "jwk" });
  const thumb = (alg: string) => createHash(alg).update(cert.raw).digest("base64url");
  return {
    client_id: clientId,
    token_endpoint_auth_method: "private_key_jwt",
    jwks: {
      keys: [{
        ...jwk,
        use: "sig",
        // No `kid`: Entra picks the key by thumbprint, not kid, and oidc-provider
        // would refuse an assertion whose header `kid` differs from a registered one.
        x5c: [cert.raw.toString("base64")],
        x5t: thumb("sha1"),
        "x5t#S256": thumb("sha256"),
      }],
    },
    grant_types: ["client_credentials"],
    response_types: [],
    redirect_uris: [],
  };
}
