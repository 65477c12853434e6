/**
 * Which profile a command uses and which authority it talks to, resolved once in
 * the order flags > environment > profile > defaults (SPEC §1.1, §4).
 */
import type { Env } from "../deps.ts";
import { UsageError } from "../errors.ts";
import {
  type Authority,
  buildAuthority,
  cloudHost,
  DEFAULT_AUTHORITY_HOST,
} from "../entra/authority.ts";
import type { AssertionAlg, Profile } from "./profile.ts";
import { profileListHint, type ProfilesFile } from "./profiles_file.ts";

/** The selection flags shared by token commands. */
export interface SelectionFlags {
  profile?: string;
  tenant?: string;
  authorityHost?: string;
  cloud?: string;
  /** Per-call certificate assertion settings (get-token `--assertion-alg`, `--send-x5c`). */
  assertionAlg?: AssertionAlg;
  sendX5c?: boolean;
}

/** A profile ready to use. `name` is null for the AZURE_* implicit profile. */
export interface ResolvedProfile {
  profile: Profile;
  name: string | null;
  authority: Authority;
  /** Secrets that came with the environment instead of the store. */
  envSecret?: string;
  envCertificatePassword?: string;
}

/** Finds the profile for `flags` and builds its authority. */
export async function resolveProfile(
  flags: SelectionFlags,
  file: ProfilesFile,
  env: Env,
): Promise<ResolvedProfile> {
  const resolved = flags.profile
    ? { profile: await file.get(flags.profile), fromEnv: false }
    : await defaultProfile(file, env);
  const profile = withAssertionOverrides(resolved.profile, flags);
  const host = flags.authorityHost ??
    (flags.cloud ? cloudHost(flags.cloud) : undefined) ??
    profile.authorityHost ??
    nonEmpty(env.get("AZURE_AUTHORITY_HOST")) ??
    DEFAULT_AUTHORITY_HOST;
  const authority = buildAuthority(host, flags.tenant ?? profile.tenantId);
  if (!resolved.fromEnv) return { profile, name: profile.name, authority };
  return {
    profile,
    name: null,
    authority,
    envSecret: nonEmpty(env.get("AZURE_CLIENT_SECRET")),
    envCertificatePassword: env.get("AZURE_CLIENT_CERTIFICATE_PASSWORD"),
  };
}

function withAssertionOverrides(profile: Profile, flags: SelectionFlags): Profile {
  if (flags.assertionAlg === undefined && !flags.sendX5c) return profile;
  return {
    ...profile,
    ...(flags.assertionAlg ? { assertionAlg: flags.assertionAlg } : {}),
    ...(flags.sendX5c ? { sendX5c: true } : {}),
  };
}

async function defaultProfile(
  file: ProfilesFile,
  env: Env,
): Promise<{ profile: Profile; fromEnv: boolean }> {
  const profiles = await file.load();
  const byDefault = profiles.find((p) => p.name === "default");
  if (byDefault) return { profile: byDefault, fromEnv: false };
  const fromEnv = environmentProfile(env);
  if (fromEnv) return { profile: fromEnv, fromEnv: true };
  throw new UsageError("PROFILE_REQUIRED", "no profile given and no 'default' profile exists", {
    hints: [
      profileListHint(profiles),
      "Pass -p NAME, create a profile named 'default', or set AZURE_TENANT_ID and AZURE_CLIENT_ID",
    ],
  });
}

/** The implicit profile made of AZURE_* variables (same names as the Azure SDKs). */
export function environmentProfile(env: Env): Profile | undefined {
  const tenantId = nonEmpty(env.get("AZURE_TENANT_ID"));
  const clientId = nonEmpty(env.get("AZURE_CLIENT_ID"));
  if (!tenantId || !clientId) return undefined;
  const certificatePath = nonEmpty(env.get("AZURE_CLIENT_CERTIFICATE_PATH"));
  const authMethod = nonEmpty(env.get("AZURE_CLIENT_SECRET"))
    ? "secret"
    : certificatePath
    ? "certificate"
    : "none";
  return {
    name: "(environment)",
    tenantId,
    clientId,
    authMethod,
    scopes: [],
    ...(authMethod === "certificate" ? { certificatePath } : {}),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}
