/**
 * profiles.json: read strictly, written atomically under a lock. A damaged file
 * stops the command with exit 2 and is never rewritten (SPEC §4).
 */
import { UsageError } from "../errors.ts";
import { ensurePrivateDir, readFileIfExists, writeFileAtomic } from "../platform/files.ts";
import { withFileLock } from "../platform/lock.ts";
import { invalidProfileField, type Profile, upgradeProfile } from "./profile.ts";

const FORMAT_VERSION = 1;

/** The profiles file of one config home. */
export class ProfilesFile {
  readonly path: string;
  constructor(readonly home: string) {
    this.path = `${home}/profiles.json`;
  }

  /** All profiles; an absent file means none. */
  async load(): Promise<Profile[]> {
    const bytes = await readFileIfExists(this.path);
    if (bytes === undefined) return [];
    return parseProfiles(new TextDecoder().decode(bytes), this.path);
  }

  /** One profile, or undefined. */
  async find(name: string): Promise<Profile | undefined> {
    return (await this.load()).find((p) => p.name === name);
  }

  /** One profile; a missing one is a usage error (exit 2) that lists the others. */
  async get(name: string): Promise<Profile> {
    const profiles = await this.load();
    const found = profiles.find((p) => p.name === name);
    if (found) return found;
    throw profileNotFound(name, profiles);
  }

  /** Reads, changes and writes the list under a lock, so parallel edits are not lost. */
  async update<T>(change: (profiles: Profile[]) => Promise<T> | T): Promise<T> {
    await ensurePrivateDir(this.home);
    return await withFileLock(this.path, async () => {
      const profiles = await this.load();
      const result = await change(profiles);
      const doc = { version: FORMAT_VERSION, profiles };
      await writeFileAtomic(this.path, JSON.stringify(doc, null, 2) + "\n");
      return result;
    });
  }
}

/** Parses and validates the file's text; throws UsageError naming what is wrong. */
export function parseProfiles(text: string, path: string): Profile[] {
  const invalid = (why: string) =>
    new UsageError("PROFILES_INVALID", `${path} is invalid: ${why}`, {
      hints: ["The file was left unchanged; fix or move it, then try again"],
    });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid("not valid JSON");
  }
  // A bare array of profiles (hand-written, as older docs show) reads as the same list.
  if (Array.isArray(doc)) doc = { profiles: doc };
  if (
    typeof doc !== "object" || doc === null ||
    !Array.isArray((doc as { profiles?: unknown }).profiles)
  ) {
    throw invalid('expected an object with a "profiles" array');
  }
  const version = (doc as { version?: unknown }).version;
  if (version !== undefined && version !== FORMAT_VERSION) {
    throw invalid(`format version ${String(version)} is newer than this tool understands`);
  }
  const profiles = (doc as { profiles: unknown[] }).profiles.map(upgradeProfile);
  const seen = new Set<string>();
  profiles.forEach((p, i) => {
    const field = invalidProfileField(p);
    if (field) throw invalid(`profile #${i + 1} has a missing or bad "${field}"`);
    const name = (p as Profile).name;
    if (seen.has(name)) throw invalid(`profile '${name}' appears twice`);
    seen.add(name);
  });
  return profiles as Profile[];
}

/** The error for a profile name that is not among `profiles`. */
export function profileNotFound(name: string, profiles: Profile[]): UsageError {
  return new UsageError("PROFILE_NOT_FOUND", `profile '${name}' not found`, {
    hints: [profileListHint(profiles)],
  });
}

/** Which profiles exist, or how to make the first one. */
export function profileListHint(profiles: Profile[]): string {
  return profiles.length
    ? `Available profiles: ${profiles.map((p) => p.name).join(", ")}`
    : "No profiles yet: create one with 'entra-auth-cli create-profile' or 'config create'";
}
