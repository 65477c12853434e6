/**
 * `config edit -p NAME` (GitHub issue #7): change a profile with create-profile's
 * flags (no questions), or, with no flags on a terminal, through the guided
 * questions with the current values as defaults. The result is built and saved
 * like a new profile; a rename (`--name NEW`) moves the stored secrets and the
 * signed-in tokens with it (see profile_save.ts).
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { createReporter, type Reporter } from "../output/reporter.ts";
import type { Profile } from "../profile/profile.ts";
import { profileNotFound, ProfilesFile } from "../profile/profiles_file.ts";
import { buildProfile, type BuiltProfile, type CreateProfileFlags } from "./profile_build.ts";
import { addProfileOptions } from "./profile_options.ts";
import { ALL_QUESTIONS, askProfile, canPrompt } from "./profile_questions.ts";
import { reportSecrets, type SaveOutcome, saveProfile } from "./profile_save.ts";

/** `config edit` flags: the profile to change, and create-profile's settings to change in it. */
export interface EditFlags extends Omit<CreateProfileFlags, "force"> {
  profile: string;
}

/** Runs `config edit`. */
export async function runConfigEdit(flags: EditFlags, deps: Deps): Promise<void> {
  const reporter = createReporter(deps.io, deps.env);
  const profiles = await new ProfilesFile(deps.paths.configHome()).load();
  const { profile: name, ...changes } = flags;
  const current = profiles.find((p) => p.name === name);
  if (!current) throw profileNotFound(name, profiles);
  const given = Object.values(changes).some((v) => v !== undefined);
  if (!given && !canPrompt(deps)) {
    throw new UsageError("NOTHING_TO_CHANGE", "config edit: no change given", {
      hints: [
        "Give the settings to change, e.g. --client-secret-stdin, --scope, --flow, --name NEW " +
        "(see config edit --help), or run it in a terminal to be asked",
      ],
    });
  }
  const draft = given
    ? applyChanges(profileToFlags(current), changes)
    : await askProfile(profileToFlags(current), deps, {
      ask: ALL_QUESTIONS,
      current,
      taken: profiles.map((p) => p.name).filter((n) => n !== name),
    });
  const built = await buildProfile(draft, deps, {
    fromEnv: false,
    withoutSecret: current.authMethod === "secret" ? "keep" : "error",
    keepCertificate: sameCertificate(current, draft),
  });
  const saved = await saveProfile(built, { editing: current }, deps, reporter);
  report(current, built, saved, reporter);
}

/** A stored profile spelled as create-profile flags, the starting point of an edit. */
export function profileToFlags(p: Profile): CreateProfileFlags {
  const flags: CreateProfileFlags = {
    name: p.name,
    tenantId: p.tenantId,
    clientId: p.clientId,
    scope: p.scopes.length ? p.scopes : undefined,
    flow: p.defaultFlow,
    redirectUri: p.redirectUri,
    authorityHost: p.authorityHost,
    publicClient: p.authMethod === "none" || undefined,
  };
  if (p.authMethod !== "certificate") return flags;
  return {
    ...flags,
    useCertificate: true,
    certificatePath: p.certificatePath,
    privateKeyPath: p.privateKeyPath,
    assertionAlg: p.assertionAlg,
    sendX5c: p.sendX5c,
  };
}

const CERTIFICATE_FILE_FLAGS = ["useCertificate", "certificatePath", "privateKeyPath"] as const;

/** Lays the given flags over the current settings; a new credential replaces the old kind. */
export function applyChanges(
  draft: CreateProfileFlags,
  changes: Omit<EditFlags, "profile">,
): CreateProfileFlags {
  const out: CreateProfileFlags = { ...draft };
  const toSecret = changes.clientSecret !== undefined || !!changes.clientSecretStdin;
  if (toSecret || changes.publicClient) {
    for (const key of [...CERTIFICATE_FILE_FLAGS, "assertionAlg", "sendX5c"] as const) {
      delete out[key];
    }
  }
  if (toSecret || CERTIFICATE_FILE_FLAGS.some((k) => changes[k] !== undefined)) {
    delete out.publicClient;
  }
  // Another certificate file: the old key file belonged to the old certificate.
  if (changes.certificatePath !== undefined) delete out.privateKeyPath;
  if (changes.cloud !== undefined) delete out.authorityHost;
  if (changes.authorityHost !== undefined) delete out.cloud;
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** Whether the certificate stays as it is (then it is neither reloaded nor re-asked for). */
function sameCertificate(current: Profile, draft: CreateProfileFlags): boolean {
  const abs = (path?: string) => path === undefined ? undefined : resolve(path);
  return current.authMethod === "certificate" && !draft.publicClient &&
    draft.clientSecret === undefined && !draft.clientSecretStdin &&
    abs(draft.certificatePath) === current.certificatePath &&
    abs(draft.privateKeyPath) === current.privateKeyPath &&
    draft.certificatePassword === undefined && !draft.certificatePasswordStdin;
}

const LABELS: Partial<Record<keyof Profile, string>> = {
  tenantId: "tenant",
  clientId: "client ID",
  authMethod: "authentication method",
  defaultFlow: "default flow",
  redirectUri: "redirect URI",
  authorityHost: "authority host",
  certificatePath: "certificate",
  privateKeyPath: "private key",
  assertionAlg: "assertion algorithm",
  sendX5c: "x5c",
};

function report(before: Profile, built: BuiltProfile, saved: SaveOutcome, reporter: Reporter) {
  const after = built.profile;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof Profile)[]);
  const changed = [...keys].filter((k) =>
    k !== "name" && JSON.stringify(before[k]) !== JSON.stringify(after[k])
  ).map((k) => LABELS[k] ?? k);
  if (typeof built.clientSecret === "object") changed.push("client secret");
  const renamed = before.name !== after.name ? ` and renamed to '${after.name}'` : "";
  reporter.success(
    changed.length || renamed
      ? `Profile '${before.name}' updated${renamed}${
        changed.length ? `: ${changed.join(", ")}` : ""
      }`
      : `Profile '${before.name}' unchanged`,
  );
  reportSecrets(built, saved, reporter);
  const tokens = (n: number) => `${n} signed-in token${n === 1 ? "" : "s"}`;
  if (saved.movedTokens) reporter.info(`${tokens(saved.movedTokens)} moved to '${after.name}'`);
  if (saved.droppedTokens) {
    reporter.info(`${tokens(saved.droppedTokens)} dropped: sign in again with the new settings`);
  }
}

/** Adds `config edit` under `config`. */
export function registerConfigEdit(config: Command, deps: Deps): void {
  const edit = config.command("edit")
    .description("change a profile: with flags, or answer the questions again on a terminal")
    .requiredOption("-p, --profile <name>", "profile to change")
    .option("--name <new-name>", "rename the profile (its secrets and sign-ins move with it)");
  addProfileOptions(edit, "edit")
    .addHelpText(
      "after",
      `
Without flags, on a terminal, every question of 'config create' is asked again with the current
values as defaults (Enter at the secret keeps the stored one).

Examples:
  $ printf '%s' "$NEW_SECRET" | entra-auth-cli config edit -p ci --client-secret-stdin
  $ entra-auth-cli config edit -p ci --scope https://management.azure.com/.default
  $ entra-auth-cli config edit -p ci --name ci-prod`,
    )
    .action(async (flags: EditFlags) => {
      await runConfigEdit(flags, deps);
    });
}
