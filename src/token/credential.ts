/**
 * The credential a confidential client proves itself with: the client secret
 * (from the environment or the secret store) or a certificate assertion.
 */
import { lazy } from "../lazy.ts";
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import type { ClientCredential } from "../flows/client_credentials.ts";
import type { Reporter } from "../output/reporter.ts";
import type { ResolvedProfile } from "../profile/resolve.ts";
import { secretKeys } from "../store/secret_store.ts";

/** The secret or the certificate assertion a confidential client authenticates with. */
export async function loadClientCredential(
  resolved: ResolvedProfile,
  deps: Deps,
  reporter: Reporter,
): Promise<ClientCredential> {
  const { profile } = resolved;
  if (profile.authMethod === "none") {
    throw new UsageError(
      "CREDENTIAL_MISSING",
      `profile '${resolved.name ?? "environment"}' has no client secret or certificate`,
      { hints: ["ClientCredentials needs one; user sign-in flows need none"] },
    );
  }
  if (profile.authMethod === "certificate") {
    // Loaded on demand: only this path pays for the certificate code (and node-forge).
    const { certificateClientCredential } = await lazy<
      typeof import("./certificate_credential.ts")
    >(
      "token/certificate_credential.ts",
    );
    return await certificateClientCredential(resolved, deps, reporter);
  }
  if (resolved.envSecret) return { kind: "secret", secret: resolved.envSecret };
  const { store, warning } = await deps.secrets.open();
  if (warning) reporter.warn(warning);
  const secret = await store.get(secretKeys.clientSecret(profile.name));
  if (!secret) {
    throw new UsageError(
      "SECRET_MISSING",
      `no client secret is stored for profile '${profile.name}'`,
      {
        hints: [
          `Store one with: entra-auth-cli create-profile --name ${profile.name} --force ... --client-secret-stdin`,
        ],
      },
    );
  }
  return { kind: "secret", secret };
}
