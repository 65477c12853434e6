/**
 * Turns profile settings (create-profile flags, prompt answers, an edit or an
 * import, all spelled as create-profile flags) into a validated Profile plus
 * what to do with its secrets. Nothing is written here; see profile_save.ts.
 */
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { cloudHost, normalizeAuthorityHost } from "../entra/authority.ts";
import { parseScopes } from "../entra/scopes.ts";
import { chooseFlow, parseFlow } from "../profile/flows.ts";
import {
  checkClientId,
  checkRedirectUri,
  checkTenantForFlow,
  checkTenantId,
} from "../profile/fields.ts";
import { checkProfileName, parseAssertionAlg, type Profile } from "../profile/profile.ts";
import {
  type CertificateFlags,
  type CertificateSettings,
  certificateSettings,
  checkCertificateFlags,
  missingCertificate,
  wantsCertificate,
} from "./certificate_profile.ts";

/** create-profile's flags as commander delivers them; the common currency of this module. */
export interface CreateProfileFlags extends CertificateFlags {
  name?: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  scope?: string[];
  flow?: string;
  redirectUri?: string;
  authorityHost?: string;
  cloud?: string;
  publicClient?: boolean;
  force?: boolean;
}

/** What happens to one stored secret when the profile is saved. */
export type SecretChange = { set: string } | "keep" | "delete";

/** A validated profile and its secrets. */
export interface BuiltProfile {
  profile: Profile;
  clientSecret: SecretChange;
  certificatePassword: SecretChange;
  /** Set when the certificate was loaded (and so checked) now. */
  certificate?: CertificateSettings;
}

/** How settings are read. create-profile takes the defaults. */
export interface BuildOptions {
  /** AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_* may stand in for flags (create-profile only). */
  fromEnv?: boolean;
  /** With no secret given: fail (create), keep the stored one (edit), or store none (import). */
  withoutSecret?: "error" | "keep" | "delete";
  /** Edit of an unchanged certificate: keep the fields and stored password, do not load it. */
  keepCertificate?: boolean;
}

/** The required settings missing from `flags`, as create-profile names them. */
export function missingFlags(flags: CreateProfileFlags, deps: Deps): string[] {
  const missing = [
    flags.name ? undefined : "--name",
    flags.tenantId ? undefined : "--tenant-id",
    flags.clientId ? undefined : "--client-id",
  ].filter((m): m is string => m !== undefined);
  if (wantsCertificate(flags, deps)) {
    const noPath = missingCertificate(flags, deps);
    if (noPath) missing.push(noPath);
  } else if (!flags.publicClient && !hasSecretSource(flags, deps)) {
    missing.push(
      "--client-secret, --client-secret-stdin or AZURE_CLIENT_SECRET (or --public-client)",
    );
  }
  return missing;
}

function hasSecretSource(flags: CreateProfileFlags, deps: Deps): boolean {
  return flags.clientSecret !== undefined || !!flags.clientSecretStdin ||
    !!deps.env.get("AZURE_CLIENT_SECRET");
}

/** Validates everything, loads the certificate if any, reads the secret. */
export async function buildProfile(
  flags: CreateProfileFlags,
  deps: Deps,
  options: BuildOptions = {},
): Promise<BuiltProfile> {
  const d = options.fromEnv === false ? withoutEnvCredentials(deps) : deps;
  const withoutSecret = options.withoutSecret ?? "error";
  checkConflicts(flags, d);
  const missing = missingFlags(flags, d).filter((m) =>
    withoutSecret === "error" || !m.startsWith("--client-secret")
  );
  if (missing.length) {
    throw new UsageError("FLAGS_MISSING", `missing ${missing.join(", ")}`, {
      hints: ["See: entra-auth-cli create-profile --help"],
    });
  }
  const profile = commonFields(flags, wantsCertificate(flags, d));
  checkTenantForFlow(profile.tenantId, chooseFlow(undefined, profile));
  if (profile.authMethod === "certificate") {
    if (options.keepCertificate) {
      return {
        profile: { ...profile, ...keptCertificate(flags) },
        clientSecret: "delete",
        certificatePassword: "keep",
      };
    }
    const settings = await certificateSettings(flags, d);
    return {
      profile: { ...profile, ...settings.fields },
      clientSecret: "delete",
      certificatePassword: settings.password ? { set: settings.password } : "delete",
      certificate: settings,
    };
  }
  if (profile.authMethod === "none") {
    return { profile, clientSecret: "delete", certificatePassword: "delete" };
  }
  const secret = flags.clientSecretStdin
    ? trimNewline(await d.io.readStdin())
    : flags.clientSecret ?? (d.env.get("AZURE_CLIENT_SECRET") || undefined);
  if (secret === "") throw new UsageError("SECRET_EMPTY", "the client secret is empty");
  const clientSecret = secret === undefined ? withoutSecret as "keep" | "delete" : { set: secret };
  return { profile, clientSecret, certificatePassword: "delete" };
}

function checkConflicts(flags: CreateProfileFlags, deps: Deps): void {
  if (wantsCertificate(flags, deps)) checkCertificateFlags(flags);
  if (flags.clientSecret !== undefined && flags.clientSecretStdin) {
    throw new UsageError(
      "FLAGS_CONFLICT",
      "use --client-secret or --client-secret-stdin, not both",
    );
  }
  if (flags.publicClient && (flags.clientSecret !== undefined || flags.clientSecretStdin)) {
    throw new UsageError("FLAGS_CONFLICT", "--public-client profiles have no client secret");
  }
  if (flags.authorityHost && flags.cloud) {
    throw new UsageError("FLAGS_CONFLICT", "use --authority-host or --cloud, not both");
  }
}

/** The fields every profile has, validated. */
function commonFields(flags: CreateProfileFlags, certificate: boolean): Profile {
  const clientId = checkClientId(flags.clientId!);
  const authorityHost = flags.authorityHost
    ? normalizeAuthorityHost(flags.authorityHost)
    : flags.cloud
    ? cloudHost(flags.cloud)
    : undefined;
  return {
    name: checkProfileName(flags.name!.trim()),
    tenantId: checkTenantId(flags.tenantId!),
    clientId,
    authMethod: flags.publicClient ? "none" : certificate ? "certificate" : "secret",
    scopes: flags.scope ? parseScopes(flags.scope) : [],
    ...(flags.flow ? { defaultFlow: parseFlow(flags.flow) } : {}),
    ...(flags.redirectUri ? { redirectUri: checkRedirectUri(flags.redirectUri) } : {}),
    ...(authorityHost ? { authorityHost } : {}),
  };
}

function keptCertificate(flags: CreateProfileFlags): Partial<Profile> {
  return {
    certificatePath: flags.certificatePath,
    ...(flags.privateKeyPath ? { privateKeyPath: flags.privateKeyPath } : {}),
    ...(flags.assertionAlg ? { assertionAlg: parseAssertionAlg(flags.assertionAlg) } : {}),
    ...(flags.sendX5c ? { sendX5c: true } : {}),
  };
}

/** The same deps, minus the AZURE_CLIENT_* stand-ins: an edit or import means what it says. */
function withoutEnvCredentials(deps: Deps): Deps {
  return {
    ...deps,
    env: { get: (name) => name.startsWith("AZURE_CLIENT_") ? undefined : deps.env.get(name) },
  };
}

/** Secrets piped in usually end with one newline that is not part of them. */
export function trimNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}
