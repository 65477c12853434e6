/**
 * Saves a built profile: its secrets into the store and the profile into
 * profiles.json, for create-profile, `config create|edit|import` alike.
 *
 * Everything happens under the profiles.json lock, in an order that keeps the
 * old state usable until the last step: new secrets (and, for a rename, copies
 * of the secrets and signed-in cache entries under the new name) are written
 * first, then profiles.json is replaced atomically, and only then is what the
 * old profile owned removed. A failure before the profiles.json write undoes
 * the new writes, so the old profile is left as it was.
 */
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { copyEntriesTo, userEntriesOf } from "../cache/profile_entries.ts";
import { removeEntries, type StoredEntry } from "../cache/cache_dir.ts";
import type { Reporter } from "../output/reporter.ts";
import type { Profile } from "../profile/profile.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import type { SelectedSecretStore } from "../store/select.ts";
import { secretKeys } from "../store/secret_store.ts";
import type { BuiltProfile, SecretChange } from "./profile_build.ts";

/** `create` refuses an existing name; `replace` overwrites it; `edit` changes (maybe renames) one. */
export type SaveMode = "create" | "replace" | { editing: Profile };

/** What saving did, for the command's summary. */
export interface SaveOutcome {
  /** A profile of that name existed and was replaced (create --force, import --force). */
  replaced: boolean;
  store: string;
  /** Signed-in cache entries moved to the new name, and dropped. */
  movedTokens: number;
  droppedTokens: number;
}

type Undo = () => Promise<unknown>;

/** Writes the profile and its secrets (see the module comment for the order). */
export async function saveProfile(
  built: BuiltProfile,
  mode: SaveMode,
  deps: Deps,
  reporter: Reporter,
): Promise<SaveOutcome> {
  const { profile } = built;
  const file = new ProfilesFile(deps.paths.configHome());
  const opened = await deps.secrets.open();
  if (opened.warning) reporter.warn(opened.warning);
  const from = typeof mode === "object" ? mode.editing.name : profile.name;
  const undo: Undo[] = [];
  const afterwards: string[] = [];
  let stale: StoredEntry[] = [];
  let moved = 0;
  try {
    const previous = await file.update(async (profiles) => {
      const previous = checkTarget(profiles, profile.name, mode);
      for (const [kind, change] of changes(built)) {
        const key = secretKeys[kind](profile.name);
        const value = typeof change === "object"
          ? change.set
          : change === "keep" && from !== profile.name
          ? await opened.store.get(secretKeys[kind](from))
          : undefined;
        if (value !== undefined) undo.push(await setUndoable(opened, key, value));
        if (change === "delete") afterwards.push(key);
      }
      if (from !== profile.name) afterwards.push(...secretKeys.all(from));
      if (previous) {
        ({ stale, moved } = await moveTokens(previous, profile, opened, deps, undo));
      }
      const at = profiles.findIndex((p) => p.name === from);
      if (at >= 0) profiles[at] = profile;
      else profiles.push(profile);
      return previous;
    });
    for (const key of new Set(afterwards)) await opened.store.delete(key);
    await removeEntries(stale);
    return {
      replaced: typeof mode !== "object" && previous !== undefined,
      store: opened.store.description,
      movedTokens: moved,
      droppedTokens: stale.length - moved,
    };
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => {});
    throw err;
  }
}

/** The profile being replaced or edited, after checking the name is free where it must be. */
function checkTarget(profiles: Profile[], name: string, mode: SaveMode): Profile | undefined {
  const existing = profiles.find((p) => p.name === name);
  if (typeof mode === "object") {
    const editing = profiles.find((p) => p.name === mode.editing.name);
    if (!editing) {
      throw new UsageError("PROFILE_NOT_FOUND", `profile '${mode.editing.name}' not found`);
    }
    if (existing && existing !== editing) {
      throw exists(name, "Pick another new name, or delete that profile first");
    }
    return editing;
  }
  if (existing && mode === "create") {
    throw exists(name, "Use --force to replace it, or pick another name");
  }
  return existing;
}

function exists(name: string, hint: string): UsageError {
  return new UsageError("PROFILE_EXISTS", `profile '${name}' already exists`, {
    hints: [hint],
  });
}

function changes(built: BuiltProfile): ["clientSecret" | "certificatePassword", SecretChange][] {
  return [["clientSecret", built.clientSecret], ["certificatePassword", built.certificatePassword]];
}

/** Sets a secret and returns how to put back what was there. */
async function setUndoable(
  opened: SelectedSecretStore,
  key: string,
  value: string,
): Promise<Undo> {
  const before = await opened.store.get(key);
  await opened.store.set(key, value);
  return () => before === undefined ? opened.store.delete(key) : opened.store.set(key, before);
}

/**
 * Signed-in tokens follow a rename when the app and tenant stay; with another
 * tenant, client or authority they belong to an app the profile no longer uses.
 * Returns the old entries to remove once the profile is saved.
 */
async function moveTokens(
  previous: Profile,
  profile: Profile,
  opened: SelectedSecretStore,
  deps: Deps,
  undo: Undo[],
): Promise<{ stale: StoredEntry[]; moved: number }> {
  const sameApp = previous.tenantId.toLowerCase() === profile.tenantId.toLowerCase() &&
    previous.clientId.toLowerCase() === profile.clientId.toLowerCase() &&
    previous.authorityHost === profile.authorityHost;
  if (sameApp && previous.name === profile.name) return { stale: [], moved: 0 };
  const home = deps.paths.configHome();
  const entries = await userEntriesOf(previous.name, home, opened.openEncryptedFile, () => {});
  if (!sameApp) return { stale: entries, moved: 0 };
  const created = await copyEntriesTo(entries, profile.name, opened.openEncryptedFile);
  undo.push(() => Promise.all(created.map((path) => Deno.remove(path).catch(() => {}))));
  return { stale: entries, moved: created.length };
}

/** The lines after a save: the certificate, and where the secret and password went. */
export function reportSecrets(built: BuiltProfile, saved: SaveOutcome, reporter: Reporter): void {
  if (typeof built.clientSecret === "object") {
    reporter.info(`Client secret stored in ${saved.store}`);
  }
  if (built.certificate) reporter.info(built.certificate.summary);
  if (typeof built.certificatePassword === "object") {
    reporter.info(`Certificate password stored in ${saved.store}`);
  }
}
