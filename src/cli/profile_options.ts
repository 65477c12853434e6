/**
 * The profile settings as command-line options, shared by create-profile and
 * `config edit` so both spell and describe them the same way.
 */
import type { Command } from "commander";

const SETTINGS: [string, string][] = [
  ["--tenant-id <id>", "directory (tenant) ID or verified domain"],
  ["--client-id <id>", "application (client) ID"],
  ["--client-secret <value>", "client secret (prefer --client-secret-stdin)"],
  ["--client-secret-stdin", "read the client secret from stdin"],
  ["-s, --scope <scopes...>", "default scopes, space- or comma-separated"],
  ["-f, --flow <flow>", "default flow for this profile"],
  ["--redirect-uri <uri>", "redirect URI for AuthorizationCode"],
  ["--authority-host <url>", "Entra host for this profile"],
  ["--cloud <name>", "AzurePublic, AzureUSGovernment or AzureChina"],
  ["--public-client", "no secret: user sign-in flows only"],
  // Certificates (issue #3); the password goes to the secret store like a client secret.
  ["--use-certificate", "authenticate with a certificate instead of a secret"],
  ["--certificate-path <file>", "PEM (certificate, maybe with key) or PFX/P12 file"],
  ["--private-key-path <file>", "PEM private key, when not in the certificate file"],
  ["--certificate-password <value>", "PFX or key password (prefer the -stdin form)"],
  ["--certificate-password-stdin", "read the certificate password from stdin"],
  ["--assertion-alg <alg>", "certificate assertion: PS256 (default) or RS256"],
  ["--send-x5c", "send the certificate chain (x5c), for subject name + issuer apps"],
];

/** Adds the settings options to `command` (create-profile also gets --name and --force). */
export function addProfileOptions<C extends Command>(command: C, kind: "create" | "edit"): C {
  if (kind === "create") command.option("--name <name>", "profile name (letters, digits, . _ -)");
  for (const [flags, description] of SETTINGS) command.option(flags, description);
  if (kind === "create") command.option("--force", "replace an existing profile of the same name");
  return command;
}
