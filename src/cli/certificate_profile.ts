/**
 * create-profile's certificate options (GitHub issue #3): when they apply, what
 * they conflict with, and the profile fields they produce. The certificate is
 * loaded once here to validate it, so a bad file fails before anything is
 * written. The certificate code is imported only when a certificate is used.
 */
import { lazy } from "../lazy.ts";
import { resolve } from "node:path";
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { createReporter } from "../output/reporter.ts";
import { parseAssertionAlg, type Profile } from "../profile/profile.ts";

/** The certificate flags of create-profile, as commander delivers them. */
export interface CertificateFlags {
  useCertificate?: boolean;
  certificatePath?: string;
  privateKeyPath?: string;
  certificatePassword?: string;
  certificatePasswordStdin?: boolean;
  assertionAlg?: string;
  sendX5c?: boolean;
}

/** The secret-side flags a certificate conflicts with. */
interface SecretFlags {
  clientSecret?: string;
  clientSecretStdin?: boolean;
  publicClient?: boolean;
}

const CERTIFICATE_FLAGS: (keyof CertificateFlags)[] = [
  "useCertificate",
  "certificatePath",
  "privateKeyPath",
  "certificatePassword",
  "certificatePasswordStdin",
  "assertionAlg",
  "sendX5c",
];

/**
 * Any certificate flag asks for a certificate profile. Without one, and without
 * a secret, AZURE_CLIENT_CERTIFICATE_PATH does, as for the implicit AZURE_* profile.
 */
export function wantsCertificate(flags: CertificateFlags & SecretFlags, deps: Deps): boolean {
  if (CERTIFICATE_FLAGS.some((key) => flags[key] !== undefined)) return true;
  const secretGiven = flags.clientSecret !== undefined || flags.clientSecretStdin ||
    !!deps.env.get("AZURE_CLIENT_SECRET");
  return !secretGiven && !flags.publicClient && !!envPath(deps);
}

/** Throws for certificate flags that cannot go with the others. */
export function checkCertificateFlags(flags: CertificateFlags & SecretFlags): void {
  if (flags.clientSecret !== undefined || flags.clientSecretStdin) {
    throw new UsageError(
      "FLAGS_CONFLICT",
      "use a certificate or a client secret, not both (--use-certificate with --client-secret*)",
    );
  }
  if (flags.publicClient) {
    throw new UsageError("FLAGS_CONFLICT", "--public-client profiles have no certificate");
  }
  if (flags.certificatePassword !== undefined && flags.certificatePasswordStdin) {
    throw new UsageError(
      "FLAGS_CONFLICT",
      "use --certificate-password or --certificate-password-stdin, not both",
    );
  }
}

/** The missing-flag entry for the certificate, if it has no path. */
export function missingCertificate(flags: CertificateFlags, deps: Deps): string | undefined {
  return flags.certificatePath || envPath(deps)
    ? undefined
    : "--certificate-path (or AZURE_CLIENT_CERTIFICATE_PATH)";
}

/** Profile fields of a validated certificate, its password, and a line about it. */
export interface CertificateSettings {
  fields: Pick<Profile, "certificatePath" | "privateKeyPath" | "assertionAlg" | "sendX5c">;
  password?: string;
  summary: string;
}

/** Loads the certificate once (prompting for its password on a terminal) and builds the fields. */
export async function certificateSettings(
  flags: CertificateFlags,
  deps: Deps,
): Promise<CertificateSettings> {
  const assertionAlg = flags.assertionAlg === undefined
    ? undefined
    : parseAssertionAlg(flags.assertionAlg);
  // Absolute paths: get-token may run from any directory.
  const certificatePath = resolve((flags.certificatePath || envPath(deps))!);
  const privateKeyPath = flags.privateKeyPath ? resolve(flags.privateKeyPath) : undefined;
  const given = flags.certificatePasswordStdin
    ? (await deps.io.readStdin()).replace(/\r?\n$/, "")
    : flags.certificatePassword ?? deps.env.get("AZURE_CLIENT_CERTIFICATE_PASSWORD");
  const { loadCertificateWithPassword } = await lazy<
    typeof import("../token/certificate_credential.ts")
  >("token/certificate_credential.ts");
  const { credential, password } = await loadCertificateWithPassword(
    { certificatePath, privateKeyPath, password: given || undefined },
    deps,
    {
      reporter: createReporter(deps.io, deps.env),
      hints: {
        required: [
          "Give it with --certificate-password-stdin, --certificate-password or " +
          "AZURE_CLIENT_CERTIFICATE_PASSWORD, or run in a terminal to be asked",
        ],
        wrong: ["Check the password given (flag, stdin or AZURE_CLIENT_CERTIFICATE_PASSWORD)"],
      },
    },
  );
  const until = credential.notAfter.toISOString().slice(0, 10);
  return {
    fields: {
      certificatePath,
      ...(privateKeyPath ? { privateKeyPath } : {}),
      ...(assertionAlg ? { assertionAlg } : {}),
      ...(flags.sendX5c ? { sendX5c: true } : {}),
    },
    password,
    summary: `Certificate ${credential.subject}, SHA-1 thumbprint ${credential.sha1Thumbprint}, ` +
      `valid until ${until}${credential.warnings.map((w) => ` (${w})`).join("")}`,
  };
}

function envPath(deps: Deps): string | undefined {
  return deps.env.get("AZURE_CLIENT_CERTIFICATE_PATH")?.trim() || undefined;
}
