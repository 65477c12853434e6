/**
 * The portable profile document of `config export` / `config import` (GitHub
 * issue #7): a profile's non-secret settings as JSON, plus, when asked for, its
 * secrets sealed with a passphrase.
 *
 * Sealing: PBKDF2-SHA256 (600 000 iterations, random 16-byte salt) turns the
 * passphrase into an AES-256-GCM key (the same derivation as the secrets file).
 * The secrets are encrypted with a random 12-byte IV and, as additional data,
 * the canonical JSON of everything else in the document, so a changed profile,
 * date or KDF setting fails authentication just as a changed ciphertext does.
 * A second, tiny GCM message (`check`, a known text, no additional data) tells a
 * wrong passphrase apart from a changed file.
 */
import { UsageError } from "../errors.ts";
import { deriveKey, fromB64, PBKDF2_ITERATIONS, toB64 } from "../store/encrypted_file.ts";
import { invalidProfileField, type Profile } from "./profile.ts";

export const EXPORT_FORMAT = "entra-auth-cli/profile";
export const EXPORT_VERSION = 1;
/** Refuse documents that would make us spin for minutes (or downgrade the KDF). */
const MAX_ITERATIONS = 10_000_000;
const CHECK_TEXT = "entra-auth-cli export passphrase check";

/** The secrets a profile owns, as carried in an export. */
export interface ExportedSecrets {
  clientSecret?: string;
  certificatePassword?: string;
}

/** A GCM message: IV and ciphertext with its tag, base64. */
interface Sealed {
  iv: string;
  data: string;
}

/** The `secrets` member of an export made with --include-secrets. */
export interface SealedSecrets extends Sealed {
  cipher: "AES-256-GCM";
  kdf: { name: "PBKDF2-SHA256"; iterations: number; salt: string };
  check: Sealed;
}

/** The whole document. */
export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  profile: Profile;
  secrets?: SealedSecrets;
}

/** A document without secrets. */
export function exportDocument(profile: Profile, exportedAt: Date): ExportDocument {
  // Through JSON once, so what is signed is exactly what a reader will parse.
  return JSON.parse(JSON.stringify({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: exportedAt.toISOString(),
    profile,
  }));
}

/** Adds the secrets, sealed with `passphrase`; `random` supplies salt and IVs. */
export async function sealSecrets(
  doc: ExportDocument,
  secrets: ExportedSecrets,
  passphrase: string,
  random: (n: number) => Uint8Array<ArrayBuffer>,
): Promise<ExportDocument> {
  const kdf = { name: "PBKDF2-SHA256" as const, iterations: PBKDF2_ITERATIONS, salt: "" };
  const salt = random(16);
  kdf.salt = toB64(salt);
  const key = await deriveKey(passphrase, salt, kdf.iterations);
  const header = { cipher: "AES-256-GCM" as const, kdf };
  const aad = additionalData({ ...doc, secrets: header });
  return {
    ...doc,
    secrets: {
      ...header,
      check: await seal(key, random(12), CHECK_TEXT),
      ...await seal(key, random(12), JSON.stringify(secrets), aad),
    },
  };
}

/** Decrypts the secrets; a wrong passphrase and a changed file each fail with their own reason. */
export async function openSecrets(
  doc: ExportDocument,
  passphrase: string,
  source: string,
): Promise<ExportedSecrets> {
  const s = doc.secrets!;
  const key = await deriveKey(passphrase, fromB64(s.kdf.salt), s.kdf.iterations);
  if (await open(key, s.check) !== CHECK_TEXT) {
    throw new UsageError("EXPORT_PASSPHRASE_WRONG", `wrong passphrase for ${source}`, {
      hints: ["Use the passphrase given when the profile was exported"],
    });
  }
  const { cipher, kdf } = s;
  const text = await open(key, s, additionalData({ ...doc, secrets: { cipher, kdf } }));
  const secrets = text === undefined ? undefined : safeJson(text);
  if (!secrets || typeof secrets !== "object") {
    throw new UsageError(
      "EXPORT_TAMPERED",
      `${source} was changed after it was exported (integrity check failed)`,
      { hints: ["Nothing was imported; export the profile again from the original machine"] },
    );
  }
  const { clientSecret, certificatePassword } = secrets as Record<string, unknown>;
  return {
    ...(typeof clientSecret === "string" ? { clientSecret } : {}),
    ...(typeof certificatePassword === "string" ? { certificatePassword } : {}),
  };
}

/** Parses and checks a document's shape (not yet its secrets). */
export function parseExportDocument(text: string, source: string): ExportDocument {
  const invalid = (why: string) =>
    new UsageError("EXPORT_INVALID", `${source} is not a profile export: ${why}`, {
      hints: ["Make one with: entra-auth-cli config export -p NAME -o FILE"],
    });
  const doc = safeJson(text) as Partial<ExportDocument> | undefined;
  if (!doc || typeof doc !== "object" || doc.format !== EXPORT_FORMAT) {
    throw invalid(`expected JSON with "format": "${EXPORT_FORMAT}"`);
  }
  if (doc.version !== EXPORT_VERSION) {
    throw invalid(`format version ${String(doc.version)} is not one this tool reads`);
  }
  if (typeof doc.exportedAt !== "string") throw invalid('missing "exportedAt"');
  const field = invalidProfileField(doc.profile);
  if (field) throw invalid(`the profile has a missing or bad "${field}"`);
  if (doc.secrets !== undefined && !validSecrets(doc.secrets)) {
    throw invalid('the "secrets" member is damaged');
  }
  return doc as ExportDocument;
}

function validSecrets(s: SealedSecrets): boolean {
  const b64 = (v: unknown) => typeof v === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(v);
  const sealed = (m?: Sealed) => typeof m === "object" && m !== null && b64(m.iv) && b64(m.data);
  return typeof s === "object" && s !== null && s.cipher === "AES-256-GCM" &&
    s.kdf?.name === "PBKDF2-SHA256" && Number.isInteger(s.kdf.iterations) &&
    s.kdf.iterations >= PBKDF2_ITERATIONS && s.kdf.iterations <= MAX_ITERATIONS &&
    b64(s.kdf.salt) && sealed(s.check) && sealed(s);
}

/** Everything but the ciphertexts, as canonical JSON (sorted keys, no spaces). */
export function additionalData(doc: object): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(canonical(doc));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

async function seal(
  key: CryptoKey,
  iv: Uint8Array<ArrayBuffer>,
  text: string,
  aad?: Uint8Array<ArrayBuffer>,
): Promise<Sealed> {
  const params = aad ? { name: "AES-GCM", iv, additionalData: aad } : { name: "AES-GCM", iv };
  const data = await crypto.subtle.encrypt(params, key, new TextEncoder().encode(text));
  return { iv: toB64(iv), data: toB64(new Uint8Array(data)) };
}

async function open(
  key: CryptoKey,
  m: Sealed,
  aad?: Uint8Array<ArrayBuffer>,
): Promise<string | undefined> {
  const iv = fromB64(m.iv);
  const params = aad ? { name: "AES-GCM", iv, additionalData: aad } : { name: "AES-GCM", iv };
  try {
    return new TextDecoder().decode(await crypto.subtle.decrypt(params, key, fromB64(m.data)));
  } catch {
    return undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
