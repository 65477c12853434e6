/** `config list|show|delete` (look at and remove profiles) and the other `config` commands. */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { DEFAULT_AUTHORITY_HOST } from "../entra/authority.ts";
import { chooseFlow } from "../profile/flows.ts";
import type { Profile } from "../profile/profile.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import { secretKeys } from "../store/secret_store.ts";
import { deleteProfile } from "./delete_profile.ts";
import { certificateRows, type CertificateShow, showCertificate } from "./certificate_details.ts";
import { runConfigCreate } from "./config_create.ts";
import { registerConfigEdit } from "./config_edit.ts";
import { registerConfigExport } from "./config_export.ts";
import { registerConfigImport } from "./config_import.ts";
import { runConfigListNames } from "./profile_names.ts";

/** `config list`. */
export async function runConfigList(json: boolean, deps: Deps): Promise<void> {
  const profiles = await new ProfilesFile(deps.paths.configHome()).load();
  if (json) {
    deps.io.stdout.write(JSON.stringify(profiles, null, 2) + "\n");
    return;
  }
  if (profiles.length === 0) {
    deps.io.stderr.write("No profiles yet: create one with 'entra-auth-cli create-profile'\n");
    return;
  }
  const rows = profiles.map((p) => [p.name, p.authMethod, p.tenantId, p.clientId]);
  const header = ["NAME", "AUTH", "TENANT", "CLIENT ID"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) {
    deps.io.stdout.write(row.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd() + "\n");
  }
}

/** `config show -p NAME`. */
export async function runConfigShow(name: string, json: boolean, deps: Deps): Promise<void> {
  const profile = await new ProfilesFile(deps.paths.configHome()).get(name);
  const { store } = await deps.secrets.open();
  const secretStored = profile.authMethod === "secret"
    ? (await store.get(secretKeys.clientSecret(name))) !== undefined
    : undefined;
  const certificate = profile.authMethod === "certificate"
    ? await showCertificate(profile, store, deps)
    : undefined;
  const details = {
    ...profile,
    authorityHost: profile.authorityHost ?? deps.env.get("AZURE_AUTHORITY_HOST") ??
      DEFAULT_AUTHORITY_HOST,
    effectiveFlow: chooseFlow(undefined, profile),
    secretStore: store.description,
    ...(secretStored === undefined ? {} : { clientSecretStored: secretStored }),
    ...certificate,
  };
  if (json) {
    deps.io.stdout.write(JSON.stringify(details, null, 2) + "\n");
    return;
  }
  for (const line of describe(profile, details, certificate)) {
    deps.io.stdout.write(line + "\n");
  }
}

function describe(
  profile: Profile,
  d: Record<string, unknown>,
  certificate?: CertificateShow,
): string[] {
  const rows: [string, unknown][] = [
    ["Profile", profile.name],
    ["Tenant", profile.tenantId],
    ["Client ID", profile.clientId],
    ["Auth method", profile.authMethod],
    [
      "Client secret",
      d.clientSecretStored === undefined ? undefined : d.clientSecretStored ? "stored" : "MISSING",
    ],
    ...(certificate ? certificateRows(profile, certificate) : []),
    [
      "Scopes",
      profile.scopes.length
        ? profile.scopes.join(" ")
        : "(default) https://graph.microsoft.com/.default",
    ],
    ["Flow", profile.defaultFlow ?? `${d.effectiveFlow} (inferred)`],
    ["Redirect URI", profile.redirectUri],
    ["Authority", d.authorityHost],
    ["Secret store", d.secretStore],
  ];
  return rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${(k + ":").padEnd(15)}${v}`);
}

/** Adds `config` and its subcommands. */
export function registerConfig(program: Command, deps: Deps): void {
  const config = program.command("config")
    .description("create, list, show, edit, export, import and delete profiles");
  config.command("create")
    .description("create a profile by answering questions (needs a terminal)")
    .action(async () => {
      await runConfigCreate(deps, program.name());
    });
  config.command("list")
    .description("list profiles")
    .option("--json", "print the profiles as JSON")
    .option("--names", "print only the names, one per line (for scripts and completion)")
    .action(async (flags: { json?: boolean; names?: boolean }) => {
      if (flags.names) await runConfigListNames(deps);
      else await runConfigList(flags.json ?? false, deps);
    });
  config.command("show")
    .description("show one profile (never its secrets) and the secret store in use")
    .requiredOption("-p, --profile <name>", "profile to show")
    .option("--json", "print as JSON")
    .action(async (flags: { profile: string; json?: boolean }) => {
      await runConfigShow(flags.profile, flags.json ?? false, deps);
    });
  registerConfigEdit(config, deps);
  registerConfigExport(config, deps);
  registerConfigImport(config, deps);
  config.command("delete")
    .description("delete a profile with its stored secrets and cached tokens")
    .requiredOption("-p, --profile <name>", "profile to delete")
    .action(async (flags: { profile: string }) => {
      await deleteProfile(flags.profile, deps);
    });
}
