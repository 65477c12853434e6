/**
 * `config import -i FILE [-n NAME] [--force]` (GitHub issue #7): restores a
 * profile made by `config export`, secrets into this machine's store. The
 * profile is validated exactly as create-profile validates one; a wrong
 * passphrase or a changed file stops it with exit 2 before anything is written,
 * and an existing profile is replaced only with --force.
 */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { CliError, UsageError } from "../errors.ts";
import { createReporter } from "../output/reporter.ts";
import { describeFsError } from "../platform/files.ts";
import { openSecrets, parseExportDocument } from "../profile/export_format.ts";
import { checkProfileName } from "../profile/profile.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import { profileToFlags } from "./config_edit.ts";
import { existingPassphrase, PASSPHRASE_ENV } from "./passphrase.ts";
import { buildProfile } from "./profile_build.ts";
import { reportSecrets, saveProfile } from "./profile_save.ts";

export interface ImportFlags {
  input: string;
  name?: string;
  force?: boolean;
}

/** Runs `config import`. */
export async function runConfigImport(flags: ImportFlags, deps: Deps): Promise<void> {
  const reporter = createReporter(deps.io, deps.env);
  const source = flags.input === "-" ? "stdin" : flags.input;
  const doc = parseExportDocument(await readInput(flags.input, deps), source);
  const name = checkProfileName((flags.name ?? doc.profile.name).trim());
  // Refuse early, before a passphrase is asked for; saveProfile checks again under its lock.
  if (!flags.force && await new ProfilesFile(deps.paths.configHome()).find(name)) {
    throw new UsageError("PROFILE_EXISTS", `profile '${name}' already exists`, {
      hints: ["Use --force to replace it, or -n NEW to import it under another name"],
    });
  }
  const secrets = doc.secrets
    ? await openSecrets(doc, await existingPassphrase(deps, source), source)
    : {};
  const draft = { ...profileToFlags(doc.profile), name };
  if (doc.profile.authMethod === "secret") draft.clientSecret = secrets.clientSecret;
  if (doc.profile.authMethod === "certificate") {
    draft.certificatePassword = secrets.certificatePassword;
  }
  const built = await buildProfile(draft, deps, { fromEnv: false, withoutSecret: "delete" })
    .catch((err) => {
      throw doc.profile.certificatePath ? withCertificateHint(err) : err;
    });
  const saved = await saveProfile(built, flags.force ? "replace" : "create", deps, reporter);
  reporter.success(
    `Profile '${name}' ${saved.replaced ? "replaced" : "imported"} from ${source}`,
  );
  reportSecrets(built, saved, reporter);
  if (built.profile.authMethod === "secret" && typeof built.clientSecret !== "object") {
    reporter.warn(
      `${source} has no client secret: set it with ` +
        `entra-auth-cli config edit -p ${name} --client-secret-stdin`,
    );
  }
}

async function readInput(input: string, deps: Deps): Promise<string> {
  if (input === "-") return await deps.io.readStdin();
  try {
    return await Deno.readTextFile(input);
  } catch (err) {
    throw new UsageError("IMPORT_UNREADABLE", `cannot read ${input}: ${describeFsError(err)}`, {
      cause: err,
    });
  }
}

/** Certificate paths travel as they were on the exporting machine. */
function withCertificateHint(err: unknown): unknown {
  if (!(err instanceof CliError) || !/^CERT_(NOT_FOUND|UNREADABLE)$/.test(err.code)) return err;
  return new UsageError(err.code, err.message, {
    cause: err,
    hints: [
      ...err.hints,
      "Copy the certificate to the same path first (exports keep the exporting machine's paths)",
    ],
  });
}

/** Adds `config import` under `config`. */
export function registerConfigImport(config: Command, deps: Deps): void {
  config.command("import")
    .description("restore a profile written by 'config export' (secrets into this machine's store)")
    .requiredOption("-i, --input <file>", "the exported file; '-' reads stdin")
    .option("-n, --name <name>", "import under another name")
    .option("--force", "replace an existing profile of the same name")
    .addHelpText(
      "after",
      `
A file with secrets asks for its passphrase on a terminal, or takes ${PASSPHRASE_ENV}.

Examples:
  $ entra-auth-cli config import -i ci.json
  $ entra-auth-cli config import -i ci.json -n ci-copy`,
    )
    .action(async (flags: ImportFlags) => {
      await runConfigImport(flags, deps);
    });
}
