/**
 * What `config show` says about a certificate profile (GitHub issue #3): the
 * certificate's subject, thumbprints and dates, and whether its password is
 * stored. Never the key or the password. A certificate that can no longer be
 * used is reported with the reason instead of failing the command.
 */
import type { Deps } from "../deps.ts";
import { CliError } from "../errors.ts";
import type { Profile } from "../profile/profile.ts";
import type { SecretStore } from "../store/secret_store.ts";
import { secretKeys } from "../store/secret_store.ts";

/** The certificate as `config show --json` prints it. */
export type CertificateDetails =
  | {
    subject: string;
    issuer: string;
    /** Upper-case hex, as the Entra portal shows it. */
    sha1Thumbprint: string;
    sha256Thumbprint: string;
    notBefore: string;
    notAfter: string;
    warnings: string[];
  }
  | { error: string };

/** Fields `config show` adds for a certificate profile. */
export interface CertificateShow {
  assertionAlg: string;
  sendX5c: boolean;
  certificatePasswordStored: boolean;
  certificate: CertificateDetails;
}

/** Loads the certificate with the stored password (never prompts) and summarizes it. */
export async function showCertificate(
  profile: Profile,
  store: SecretStore,
  deps: Deps,
): Promise<CertificateShow> {
  const password = await store.get(secretKeys.certificatePassword(profile.name));
  return {
    assertionAlg: profile.assertionAlg ?? "PS256",
    sendX5c: profile.sendX5c ?? false,
    certificatePasswordStored: password !== undefined,
    certificate: await details(profile, password, deps),
  };
}

async function details(
  profile: Profile,
  password: string | undefined,
  deps: Deps,
): Promise<CertificateDetails> {
  try {
    const { loadCertificateCredential } = await import("../entra/certificate.ts");
    const c = await loadCertificateCredential({
      certificatePath: profile.certificatePath ?? "",
      privateKeyPath: profile.privateKeyPath,
      password,
      now: deps.clock.now(),
    });
    return {
      subject: c.subject,
      issuer: c.issuer,
      sha1Thumbprint: c.sha1Thumbprint,
      sha256Thumbprint: c.sha256Thumbprint,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      warnings: c.warnings,
    };
  } catch (err) {
    // Expired, moved, wrong password...: say so and show the rest of the profile.
    if (err instanceof CliError) return { error: err.message };
    throw err;
  }
}

/** Rows for the text form of `config show`. */
export function certificateRows(profile: Profile, show: CertificateShow): [string, unknown][] {
  const c = show.certificate;
  const header = show.assertionAlg === "PS256" ? "x5t#S256" : "x5t";
  return [
    ["Certificate", profile.certificatePath],
    ["Private key", profile.privateKeyPath],
    ...("error" in c ? [["Problem", `✗ ${c.error}`] as [string, unknown]] : [
      ["Subject", c.subject],
      ["Issuer", c.issuer],
      ["Thumbprint", `${c.sha1Thumbprint} (SHA-1)`],
      ["SHA-256", c.sha256Thumbprint],
      ["Valid", `${c.notBefore} to ${c.notAfter}`],
      ...c.warnings.map((w): [string, unknown] => ["Warning", w]),
    ] as [string, unknown][]),
    ["Cert password", show.certificatePasswordStored ? "stored" : "none stored"],
    ["Assertion", `${show.assertionAlg} with ${header}${show.sendX5c ? " and x5c" : ""}`],
  ];
}
