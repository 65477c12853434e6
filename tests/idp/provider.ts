/**
 * panva's oidc-provider configured to look like Entra ID v2.0 (one tenant).
 *
 * The provider is mounted at `/{tenant}` by the HTTP front in `server.ts`, so every route
 * below is relative to that prefix, exactly like Entra's `…/{tenant}/oauth2/v2.0/token`.
 * The issuer is `{origin}/{tenantId}/v2.0` (Entra's layout is not "issuer + route").
 * @module
 */

import Provider, { errors } from "oidc-provider";
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { type ClientMetadata, labClients, TENANT_DOMAIN, TENANT_ID } from "./clients.ts";
import {
  checkClientCredentialsScope,
  findResource,
  GRAPH,
  OIDC_SCOPES,
  type Resource,
  resourceByAudience,
  resourceFromScopes,
  ScopeRuleError,
  splitScopes,
} from "./resources.ts";
import { entraShaping, type KoaContext, tenantOf } from "./entra_shape.ts";
import type { LabControl } from "./lab_control.ts";
import { authorizePrompts, autoLogin, DeviceLab } from "./user_flows.ts";

/** Entra v2.0 endpoint paths, relative to `/{tenant}`. */
export const ROUTES = {
  authorization: "/oauth2/v2.0/authorize",
  token: "/oauth2/v2.0/token",
  device_authorization: "/oauth2/v2.0/devicecode",
  code_verification: "/oauth2/deviceauth",
  jwks: "/discovery/v2.0/keys",
  end_session: "/oauth2/v2.0/logout",
  userinfo: "/oidc/userinfo",
} as const;

/** Settings for {@link createLabProvider}. */
export interface LabProviderOptions {
  /** `https://127.0.0.1:PORT` */
  origin: string;
  /** Access token lifetime in seconds. */
  accessTokenTtl: number;
  /** Device code polling interval announced to clients, in seconds. */
  deviceInterval: number;
  /** Poll spacing the lab enforces with `slow_down`, in seconds (default: the interval). */
  deviceEnforcedInterval?: number;
  /** Device code lifetime in seconds (default 900, Entra's). */
  deviceTtl?: number;
  /** Finish every login and consent as this account, without a browser. */
  autoLogin?: string;
  /** Clients registered in addition to {@link labClients} (from `IDP_EXTRA_CLIENTS`). */
  extraClients: ClientMetadata[];
  control: LabControl;
}

/** Shape of oidc-provider's JWT access-token customizer arguments (what we touch). */
interface JwtToken {
  kind: string;
  accountId?: string;
}
interface StructuredJwt {
  header?: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Creates the configured provider instance (not yet listening). */
export function createLabProvider(o: LabProviderOptions): Provider {
  const provider = new Provider(`${o.origin}/${TENANT_ID}/v2.0`, {
    clients: [...labClients(), ...o.extraClients],
    jwks: { keys: [signingJwk()] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    routes: ROUTES,
    // What Entra advertises, plus `none` for public clients (it has no separate switch).
    clientAuthMethods: ["client_secret_post", "client_secret_basic", "private_key_jwt", "none"],
    scopes: [...OIDC_SCOPES],
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    ttl: {
      AccessToken: o.accessTokenTtl,
      ClientCredentials: o.accessTokenTtl,
      DeviceCode: o.deviceTtl ?? 900,
    },
    // Entra's ID tokens name the tenant and the user's object id.
    claims: { openid: ["sub", "tid", "oid"], profile: ["name", "preferred_username"] },
    discovery: {
      cloud_instance_name: "microsoftonline.com",
      msgraph_host: "graph.microsoft.com",
      tenant_region_scope: "NA",
    },
    features: {
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource,
        // Entra never echoes `resource` at the token endpoint; use what was granted.
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: KoaContext, indicator: string) =>
          resourceServerInfo(indicator, o.accessTokenTtl),
      },
    },
    formats: { customizers: { jwt: entraClaims } },
    findAccount: (_ctx: KoaContext, sub: string) => ({
      accountId: sub,
      claims: () => ({
        sub,
        name: sub,
        preferred_username: `${sub}@${TENANT_DOMAIN}`,
        tid: TENANT_ID,
        oid: guidFrom(`user:${sub}`),
      }),
    }),
    assertJwtClientAuthClaimsAndHeader: (...args: Parameters<typeof entraAssertionRules>) => {
      const [, claims, header] = args;
      o.control.recordAssertion({ header, claims });
      entraAssertionRules(...args);
    },
  });
  provider.use(authorizePrompts);
  if (o.autoLogin) provider.use(autoLogin(provider, o.autoLogin));
  provider.use(entraShaping(provider, { origin: o.origin, control: o.control }, o.deviceInterval));
  // Inside entraShaping, so the slow_down / expired_token answers it makes get Entra's shape.
  const device = new DeviceLab(provider, o.control, {
    interval: o.deviceInterval,
    enforcedInterval: o.deviceEnforcedInterval ?? o.deviceInterval,
  });
  provider.use(device.middleware);
  return provider;
}

/** A fresh RS256 signing key per run: tokens never outlive the lab. */
function signingJwk(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(20).toString("base64url"); // Entra kids look like base64 thumbprints
  return { ...privateKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" };
}

/**
 * Entra v2 has no `resource` parameter: work it out from the scope prefix. Client
 * credentials get Entra's stricter rules here, because this runs after client
 * authentication and before the grant, which is where Entra reports them too.
 */
function defaultResource(ctx: KoaContext, _client: unknown, oneOf?: string[]) {
  if (oneOf) return oneOf[0];
  const { params, route } = ctx.oidc;
  try {
    if (route === "token" && params.grant_type === "client_credentials") {
      if (tenantOf(ctx).toLowerCase() === "common") {
        throw new ScopeRuleError(
          "invalid_request",
          9001023,
          "The grant type isn't supported over the /common or /consumers endpoints. Please use " +
            "the /organizations or tenant-specific endpoint.",
        );
      }
      checkClientCredentialsScope(params.scope);
    }
    return resourceFromScopes(params.scope);
  } catch (e) {
    if (!(e instanceof ScopeRuleError)) throw e;
    throw e.oauthError === "invalid_scope"
      ? new errors.InvalidScope(e.message, params.scope)
      : new errors.InvalidRequest(e.message);
  }
}

function resourceServerInfo(indicator: string, ttl: number) {
  const found = findResource(indicator);
  if (!found) {
    throw new errors.InvalidScope(
      `AADSTS500011: The resource principal named ${indicator} was not found in the tenant ` +
        `named ${TENANT_ID}. This can happen if the application has not been installed by the ` +
        "administrator of the tenant or consented to by any user in the tenant. You might have " +
        "sent your authentication request to the wrong tenant.",
    );
  }
  const [uri, rs] = found;
  const perms = [".default", ...rs.delegated];
  // Graph also answers to bare permissions ("User.Read" means Graph's User.Read).
  const scopes = perms.map((p) => `${uri}/${p}`).concat(uri === GRAPH ? rs.delegated : []);
  return {
    scope: scopes.join(" "),
    audience: rs.audience,
    accessTokenFormat: "jwt",
    accessTokenTTL: ttl,
    jwt: { sign: { alg: "RS256" } },
  };
}

/** Reshapes oidc-provider's JWT access token into Entra's v2.0 claim set. */
function entraClaims(_ctx: KoaContext, token: JwtToken, jwt: StructuredJwt): void {
  const p = jwt.payload;
  const appId = p.client_id as string;
  const rs = resourceByAudience(p.aud);
  if (token.kind === "ClientCredentials") {
    p.oid = p.sub = guidFrom(`service-principal:${appId}`);
    p.idtyp = "app";
    if (rs?.appRoles.length) p.roles = rs.appRoles;
  } else {
    p.scp = delegatedScp(p.scope as string | undefined, rs);
    p.oid = guidFrom(`user:${token.accountId}`);
    p.preferred_username = `${token.accountId}@${TENANT_DOMAIN}`;
  }
  Object.assign(p, { nbf: p.iat, tid: TENANT_ID, ver: "2.0", azp: appId, appid: appId });
  Object.assign(p, { uti: p.jti }); // Entra names the token id `uti`
  delete p.jti;
  delete p.scope;
  delete p.client_id;
  jwt.header = { typ: "JWT" }; // Entra uses "JWT", not RFC 9068's "at+jwt"
}

/** `scp` lists bare permission names; `.default` stands for every delegated permission. */
function delegatedScp(scope: string | undefined, rs: Resource | undefined): string {
  const names = splitScopes(scope).flatMap((s) => {
    const name = s.slice(s.lastIndexOf("/") + 1);
    return name === ".default" ? rs?.delegated ?? [] : [name];
  });
  return [...new Set(names)].join(" ");
}

/** A stable GUID derived from a seed (object ids of lab principals). */
function guidFrom(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${
    h.slice(20, 32)
  }`;
}

/**
 * Entra's rules for certificate assertions beyond oidc-provider's: the header must name
 * the certificate by thumbprint, and `aud` must be the token endpoint (not the issuer).
 */
function entraAssertionRules(
  ctx: KoaContext,
  claims: Record<string, unknown>,
  header: Record<string, unknown>,
  client: { jwks?: { keys?: Record<string, unknown>[] } },
): void {
  const keys = client.jwks?.keys ?? [];
  const s256 = header["x5t#S256"];
  const sha1 = header.x5t;
  if (s256 === undefined && sha1 === undefined) {
    throw new errors.InvalidClientAuth("assertion header has neither x5t#S256 nor x5t");
  }
  const known = keys.some((k) =>
    (s256 === undefined || k["x5t#S256"] === s256) && (sha1 === undefined || k.x5t === sha1)
  );
  if (!known) throw new errors.InvalidClientAuth("certificate thumbprint is not registered");
  const tokenUrls = [
    ctx.oidc.urlFor("token"),
    `${new URL(ctx.oidc.issuer).origin}/${TENANT_ID}${ROUTES.token}`,
  ];
  if (!tokenUrls.includes(claims.aud as string)) {
    throw new errors.InvalidClientAuth(`assertion aud must be the token endpoint ${tokenUrls[0]}`);
  }
}
