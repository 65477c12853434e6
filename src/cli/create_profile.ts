/**
 * `create-profile`: a profile from flags (CI-friendly); secrets go to the store.
 * On a terminal, whatever required setting the flags leave out is asked for
 * (issue #7); without one, every missing flag is listed at once (exit 2).
 */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { createReporter } from "../output/reporter.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import { wantsCertificate } from "./certificate_profile.ts";
import { buildProfile, type CreateProfileFlags, missingFlags } from "./profile_build.ts";
import { askProfile, canPrompt, type Question } from "./profile_questions.ts";
import { addProfileOptions } from "./profile_options.ts";
import { reportSecrets, saveProfile } from "./profile_save.ts";

export type { CreateProfileFlags };

/** Runs create-profile. */
export async function runCreateProfile(flags: CreateProfileFlags, deps: Deps): Promise<void> {
  const reporter = createReporter(deps.io, deps.env);
  const complete = await askForMissing(flags, deps);
  const built = await buildProfile(complete, deps);
  const saved = await saveProfile(built, flags.force ? "replace" : "create", deps, reporter);
  const { profile } = built;
  const file = new ProfilesFile(deps.paths.configHome());
  reporter.success(
    `Profile '${profile.name}' ${saved.replaced ? "replaced" : "created"} in ${file.path}`,
  );
  reportSecrets(built, saved, reporter);
}

/**
 * On a terminal, asks for the required settings the flags left out, then for
 * the default scopes and flow unless given (as the guided set-up does).
 */
async function askForMissing(flags: CreateProfileFlags, deps: Deps): Promise<CreateProfileFlags> {
  const missing = missingFlags(flags, deps);
  if (missing.length === 0 || !canPrompt(deps)) return flags;
  const ask: Question[] = [];
  if (!flags.name) ask.push("name");
  if (!flags.tenantId) ask.push("tenant");
  if (!flags.clientId) ask.push("client");
  const credential = missing.find((m) => m.startsWith("--client-secret") || m.startsWith("--cert"));
  if (credential) ask.push(wantsCertificate(flags, deps) ? "certificate" : "auth");
  if (!flags.scope) ask.push("scopes");
  if (!flags.flow) ask.push("flow");
  const taken = flags.force ? [] : (await new ProfilesFile(deps.paths.configHome()).load())
    .map((p) => p.name);
  return await askProfile(flags, deps, { ask, taken });
}

/** Adds the command to the program. */
export function registerCreateProfile(program: Command, deps: Deps): void {
  const command = program.command("create-profile")
    .description("create a profile from flags (for scripts and CI)");
  addProfileOptions(command, "create")
    .addHelpText(
      "after",
      `
The secret can also come from AZURE_CLIENT_SECRET, the certificate from AZURE_CLIENT_CERTIFICATE_PATH
and its password from AZURE_CLIENT_CERTIFICATE_PASSWORD (or a prompt on a terminal). Secrets and
passwords are kept in the secret store, never in profiles.json. On a terminal, settings left out
are asked for; without one, every missing flag is listed (exit 2). Guided: config create.

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
