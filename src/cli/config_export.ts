/**
 * `config export -p NAME [-o FILE] [--include-secrets]` (GitHub issue #7): the
 * profile as a portable JSON document, to stdout or to a 0600 file written
 * atomically. Secrets are left out unless asked for, and then sealed with a
 * passphrase (see profile/export_format.ts).
 */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { createReporter } from "../output/reporter.ts";
import { describeFsError, writeFileAtomic } from "../platform/files.ts";
import { exportDocument, type ExportedSecrets, sealSecrets } from "../profile/export_format.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import { secretKeys } from "../store/secret_store.ts";
import { newPassphrase, PASSPHRASE_ENV } from "./passphrase.ts";

export interface ExportFlags {
  profile: string;
  output?: string;
  includeSecrets?: boolean;
}

/** Runs `config export`. */
export async function runConfigExport(flags: ExportFlags, deps: Deps): Promise<void> {
  const reporter = createReporter(deps.io, deps.env);
  const profile = await new ProfilesFile(deps.paths.configHome()).get(flags.profile);
  let doc = exportDocument(profile, new Date(deps.clock.now()));
  if (flags.includeSecrets) {
    const opened = await deps.secrets.open();
    if (opened.warning) reporter.warn(opened.warning);
    const secrets: ExportedSecrets = {};
    const clientSecret = await opened.store.get(secretKeys.clientSecret(profile.name));
    const password = await opened.store.get(secretKeys.certificatePassword(profile.name));
    if (clientSecret !== undefined) secrets.clientSecret = clientSecret;
    if (password !== undefined) secrets.certificatePassword = password;
    doc = await sealSecrets(doc, secrets, await newPassphrase(deps), deps.random.bytes);
  }
  const text = JSON.stringify(doc, null, 2) + "\n";
  const toStdout = flags.output === undefined || flags.output === "-";
  if (toStdout) deps.io.stdout.write(text);
  else await writeExport(flags.output!, text);
  if (!toStdout) reporter.success(`Profile '${profile.name}' exported to ${flags.output}`);
  reporter.info(
    flags.includeSecrets
      ? "Its secrets are in it, encrypted with the passphrase (AES-256-GCM, PBKDF2-SHA256)"
      : "No secrets in it; add --include-secrets, or set them after import with config edit",
  );
  if (profile.certificatePath) {
    reporter.info(`The certificate file is not in it: copy ${profile.certificatePath} as well`);
  }
}

async function writeExport(path: string, text: string): Promise<void> {
  const info = await Deno.stat(path).catch(() => undefined);
  if (info && !info.isFile) {
    throw new UsageError("EXPORT_UNWRITABLE", `cannot write ${path}: not a regular file`);
  }
  try {
    await writeFileAtomic(path, text);
  } catch (err) {
    throw new UsageError("EXPORT_UNWRITABLE", `cannot write ${path}: ${describeFsError(err)}`, {
      cause: err,
    });
  }
}

/** Adds `config export` under `config`. */
export function registerConfigExport(config: Command, deps: Deps): void {
  config.command("export")
    .description("write a profile as portable JSON (secrets only on request, encrypted)")
    .requiredOption("-p, --profile <name>", "profile to export")
    .option("-o, --output <file>", "file to write (mode 0600); '-' or none: stdout")
    .option(
      "--include-secrets",
      `encrypt the secrets into it with a passphrase (${PASSPHRASE_ENV})`,
    )
    .addHelpText(
      "after",
      `
Examples:
  $ entra-auth-cli config export -p ci -o ci.json
  $ ${PASSPHRASE_ENV}=... entra-auth-cli config export -p ci --include-secrets -o ci.json
  $ entra-auth-cli config import -i ci.json            # on the other machine`,
    )
    .action(async (flags: ExportFlags) => {
      await runConfigExport(flags, deps);
    });
}
