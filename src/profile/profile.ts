/** The profile type and its validation; profiles.json holds no secrets. */
import { UsageError } from "../errors.ts";
import { type FlowName, FLOWS } from "./flows.ts";

export type AuthMethod = "secret" | "certificate" | "none";
export type AssertionAlg = "PS256" | "RS256";

/** One named configuration. Secrets live in the SecretStore under `secretKeys`. */
export interface Profile {
  name: string;
  tenantId: string;
  clientId: string;
  authMethod: AuthMethod;
  scopes: string[];
  certificatePath?: string;
  privateKeyPath?: string;
  assertionAlg?: AssertionAlg;
  sendX5c?: boolean;
  defaultFlow?: FlowName;
  redirectUri?: string;
  authorityHost?: string;
}

/** Profile names are used in file and keychain names, so they stay plain. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Throws a UsageError unless `name` is a valid profile name. */
export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(
      "PROFILE_NAME_INVALID",
      `invalid profile name '${name}': use letters, digits, '.', '_' or '-' (at most 64)`,
    );
  }
  return name;
}

/** Parses `--assertion-alg` (case-insensitive). */
export function parseAssertionAlg(value: string): AssertionAlg {
  const alg = value.trim().toUpperCase();
  if (alg === "PS256" || alg === "RS256") return alg;
  throw new UsageError("ASSERTION_ALG_INVALID", `invalid --assertion-alg '${value}'`, {
    hints: ["Use PS256 (the default) or RS256"],
  });
}

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === "string" && v.length > 0;
const optional = (check: Check): Check => (v) => v === undefined || check(v);
const oneOf = (values: readonly string[]): Check => (v) =>
  typeof v === "string" && values.includes(v);

const FIELDS: Record<keyof Profile, Check> = {
  name: (v) => typeof v === "string" && PROFILE_NAME.test(v),
  tenantId: isString,
  clientId: isString,
  authMethod: oneOf(["secret", "certificate", "none"]),
  scopes: (v) => Array.isArray(v) && v.every(isString),
  certificatePath: optional(isString),
  privateKeyPath: optional(isString),
  assertionAlg: optional(oneOf(["PS256", "RS256"])),
  sendX5c: optional((v) => typeof v === "boolean"),
  defaultFlow: optional(oneOf(FLOWS)),
  redirectUri: optional(isString),
  authorityHost: optional(isString),
};

/**
 * Reads hand-written profiles in the shape the seed docs show (`"useCertificate":
 * true`, no `authMethod`, no `scopes`) as the current shape.
 */
export function upgradeProfile(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const { useCertificate, ...rest } = value as Record<string, unknown>;
  const certificate = useCertificate === true || (!rest.authMethod && !!rest.certificatePath);
  return {
    ...rest,
    ...(rest.authMethod === undefined && certificate ? { authMethod: "certificate" } : {}),
    scopes: rest.scopes ?? [],
  };
}

/** Checks one stored profile; returns the name of the first bad field, if any. */
export function invalidProfileField(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "(profile)";
  const record = value as Record<string, unknown>;
  for (const [field, check] of Object.entries(FIELDS)) {
    if (!check(record[field])) return field;
  }
  if (record.authMethod === "certificate" && !record.certificatePath) return "certificatePath";
  return undefined;
}
