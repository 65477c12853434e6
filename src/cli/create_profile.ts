/** `create-profile`: a profile from flags (CI-friendly); secrets go to the store. */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { checkTenant, cloudHost, normalizeAuthorityHost } from "../entra/authority.ts";
import { parseScopes } from "../entra/scopes.ts";
import { createReporter } from "../output/reporter.ts";
import { parseFlow } from "../profile/flows.ts";
import { checkProfileName, type Profile } from "../profile/profile.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import { secretKeys } from "../store/secret_store.ts";
import {
  type CertificateFlags,
  type CertificateSettings,
  certificateSettings,
  checkCertificateFlags,
  missingCertificate,
  wantsCertificate,
} from "./certificate_profile.ts";

/** Raw commander values. */
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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Builds the profile and finds its secret (from the flag, stdin or AZURE_CLIENT_SECRET). */
export async function buildProfile(
  flags: CreateProfileFlags,
  deps: Deps,
): Promise<{ profile: Profile; secret?: string; certificate?: CertificateSettings }> {
  const missing = [
    flags.name ? undefined : "--name",
    flags.tenantId ? undefined : "--tenant-id",
    flags.clientId ? undefined : "--client-id",
  ].filter((m): m is string => m !== undefined);
  const envSecret = deps.env.get("AZURE_CLIENT_SECRET") || undefined;
  const certificate = wantsCertificate(flags, deps);
  if (certificate) checkCertificateFlags(flags);
  if (flags.clientSecret !== undefined && flags.clientSecretStdin) {
    throw new UsageError(
      "FLAGS_CONFLICT",
      "use --client-secret or --client-secret-stdin, not both",
    );
  }
  if (flags.publicClient && (flags.clientSecret !== undefined || flags.clientSecretStdin)) {
    throw new UsageError("FLAGS_CONFLICT", "--public-client profiles have no client secret");
  }
  const hasSecretSource = flags.clientSecret !== undefined || flags.clientSecretStdin ||
    envSecret !== undefined;
  if (certificate) {
    const noPath = missingCertificate(flags, deps);
    if (noPath) missing.push(noPath);
  } else if (!flags.publicClient && !hasSecretSource) {
    missing.push(
      "--client-secret, --client-secret-stdin or AZURE_CLIENT_SECRET (or --public-client)",
    );
  }
  if (missing.length) {
    throw new UsageError("FLAGS_MISSING", `missing ${missing.join(", ")}`, {
      hints: ["See: entra-auth-cli create-profile --help"],
    });
  }
  const clientId = flags.clientId!.trim();
  if (!GUID.test(clientId)) {
    throw new UsageError(
      "CLIENT_ID_INVALID",
      `--client-id must be the application (client) ID GUID, not '${clientId}'`,
    );
  }
  if (flags.authorityHost && flags.cloud) {
    throw new UsageError("FLAGS_CONFLICT", "use --authority-host or --cloud, not both");
  }
  const authorityHost = flags.authorityHost
    ? normalizeAuthorityHost(flags.authorityHost)
    : flags.cloud
    ? cloudHost(flags.cloud)
    : undefined;
  const profile: Profile = {
    name: checkProfileName(flags.name!.trim()),
    tenantId: checkTenant(flags.tenantId!),
    clientId,
    authMethod: flags.publicClient ? "none" : certificate ? "certificate" : "secret",
    scopes: flags.scope ? parseScopes(flags.scope) : [],
    ...(flags.flow ? { defaultFlow: parseFlow(flags.flow) } : {}),
    ...(flags.redirectUri ? { redirectUri: checkRedirectUri(flags.redirectUri) } : {}),
    ...(authorityHost ? { authorityHost } : {}),
  };
  if (certificate) {
    const settings = await certificateSettings(flags, deps);
    return { profile: { ...profile, ...settings.fields }, certificate: settings };
  }
  if (flags.publicClient) return { profile };
  const secret = flags.clientSecretStdin
    ? trimNewline(await deps.io.readStdin())
    : flags.clientSecret ?? envSecret!;
  if (!secret) throw new UsageError("SECRET_EMPTY", "the client secret is empty");
  return { profile, secret };
}

function checkRedirectUri(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || url.protocol === "http:") return value;
  } catch { /* reported below */ }
  throw new UsageError("REDIRECT_URI_INVALID", `invalid --redirect-uri '${value}'`);
}

/** Secrets piped in usually end with one newline that is not part of them. */
export function trimNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

/** Runs create-profile. */
export async function runCreateProfile(flags: CreateProfileFlags, deps: Deps): Promise<void> {
  const reporter = createReporter(deps.io, deps.env);
  const { profile, secret, certificate } = await buildProfile(flags, deps);
  const file = new ProfilesFile(deps.paths.configHome());
  const existing = await file.find(profile.name);
  if (existing && !flags.force) {
    throw new UsageError("PROFILE_EXISTS", `profile '${profile.name}' already exists`, {
      hints: ["Use --force to replace it, or pick another --name"],
    });
  }
  const { store, warning } = await deps.secrets.open();
  if (warning) reporter.warn(warning);
  // Secret first: if it cannot be stored, no profile points at a missing secret.
  if (secret !== undefined) await store.set(secretKeys.clientSecret(profile.name), secret);
  else await store.delete(secretKeys.clientSecret(profile.name));
  const passwordKey = secretKeys.certificatePassword(profile.name);
  if (certificate?.password) await store.set(passwordKey, certificate.password);
  else await store.delete(passwordKey);
  await file.update((profiles) => {
    const at = profiles.findIndex((p) => p.name === profile.name);
    if (at >= 0) profiles[at] = profile;
    else profiles.push(profile);
  });
  reporter.success(
    `Profile '${profile.name}' ${existing ? "replaced" : "created"} in ${file.path}`,
  );
  if (secret !== undefined) reporter.info(`Client secret stored in ${store.description}`);
  if (certificate) reporter.info(certificate.summary);
  if (certificate?.password) reporter.info(`Certificate password stored in ${store.description}`);
}

/** Adds the command to the program. */
export function registerCreateProfile(program: Command, deps: Deps): void {
  program.command("create-profile")
    .description("create a profile from flags (for scripts and CI)")
    .option("--name <name>", "profile name (letters, digits, . _ -)")
    .option("--tenant-id <id>", "directory (tenant) ID or verified domain")
    .option("--client-id <id>", "application (client) ID")
    .option("--client-secret <value>", "client secret (prefer --client-secret-stdin)")
    .option("--client-secret-stdin", "read the client secret from stdin")
    .option("-s, --scope <scopes...>", "default scopes, space- or comma-separated")
    .option("-f, --flow <flow>", "default flow for this profile")
    .option("--redirect-uri <uri>", "redirect URI for AuthorizationCode")
    .option("--authority-host <url>", "Entra host for this profile")
    .option("--cloud <name>", "AzurePublic, AzureUSGovernment or AzureChina")
    .option("--public-client", "no secret: user sign-in flows only")
    // Certificates (issue #3); the password goes to the secret store like a client secret.
    .option("--use-certificate", "authenticate with a certificate instead of a secret")
    .option("--certificate-path <file>", "PEM (certificate, maybe with key) or PFX/P12 file")
    .option("--private-key-path <file>", "PEM private key, when not in the certificate file")
    .option("--certificate-password <value>", "PFX or key password (prefer the -stdin form)")
    .option("--certificate-password-stdin", "read the certificate password from stdin")
    .option("--assertion-alg <alg>", "certificate assertion: PS256 (default) or RS256")
    .option("--send-x5c", "send the certificate chain (x5c), for subject name + issuer apps")
    .option("--force", "replace an existing profile of the same name")
    .addHelpText(
      "after",
      `
The secret can also come from AZURE_CLIENT_SECRET, the certificate from AZURE_CLIENT_CERTIFICATE_PATH
and its password from AZURE_CLIENT_CERTIFICATE_PASSWORD (or a prompt on a terminal). Secrets and
passwords are kept in the secret store, never in profiles.json.

Examples:
  $ printf '%s' "$CLIENT_SECRET" | entra-auth-cli create-profile --name ci \\
      --tenant-id "$TENANT_ID" --client-id "$CLIENT_ID" --client-secret-stdin \\
      --scope https://management.azure.com/.default
  $ entra-auth-cli create-profile --name app-cert --tenant-id "$TENANT_ID" \\
      --client-id "$CLIENT_ID" --use-certificate --certificate-path ./cert.pem \\
      --private-key-path ./key.pem
  $ printf '%s' "$PFX_PASSWORD" | entra-auth-cli create-profile --name app-pfx \\
      --tenant-id "$TENANT_ID" --client-id "$CLIENT_ID" --certificate-path ./app.pfx \\
      --certificate-password-stdin`,
    )
    .action(async (flags: CreateProfileFlags) => {
      await runCreateProfile(flags, deps);
    });
}
