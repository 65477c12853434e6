/**
 * A SecretStore in one AES-256-GCM encrypted file. The 256-bit key comes from
 * ENTRA_AUTH_CLI_PASSPHRASE through PBKDF2 (slow on purpose), from a 0600 key file,
 * or (issue #4) from a data key kept in the OS keychain.
 */
import { SecretStoreError } from "../errors.ts";
import {
  checkPrivateFile,
  ensurePrivateDir,
  readFileIfExists,
  writeFileAtomic,
} from "../platform/files.ts";
import { withFileLock } from "../platform/lock.ts";
import type { SecretStore } from "./secret_store.ts";

/** Where the AES key comes from. */
export type KeySource =
  | { kind: "passphrase"; passphrase: string }
  | { kind: "raw"; key: Uint8Array<ArrayBuffer>; label: string };

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const PBKDF2_ITERATIONS = 600_000;

interface Envelope {
  version: 1;
  kdf: { name: "PBKDF2-SHA256"; iterations: number; salt: string } | { name: "raw" };
  iv: string;
  data: string;
}

/** The encrypted file store. */
export class EncryptedFileStore implements SecretStore {
  readonly description: string;
  #key?: CryptoKey;
  #salt?: Uint8Array<ArrayBuffer>;

  constructor(readonly path: string, private readonly source: KeySource) {
    const how = source.kind === "passphrase" ? "key from ENTRA_AUTH_CLI_PASSPHRASE" : source.label;
    this.description = `encrypted file ${path} (${how})`;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#read())[key];
  }

  async set(key: string, value: string): Promise<void> {
    await this.#modify((items) => {
      items[key] = value;
    });
  }

  async delete(key: string): Promise<boolean> {
    let found = false;
    await this.#modify((items) => {
      found = key in items;
      delete items[key];
    });
    return found;
  }

  async #modify(change: (items: Record<string, string>) => void): Promise<void> {
    await ensurePrivateDir(this.path.slice(0, this.path.lastIndexOf("/")) || ".");
    await withFileLock(this.path, async () => {
      const items = await this.#read();
      change(items);
      await writeFileAtomic(this.path, JSON.stringify(await this.#seal(items)) + "\n");
    });
  }

  async #read(): Promise<Record<string, string>> {
    const bytes = await readFileIfExists(this.path);
    if (bytes === undefined) return {};
    await checkPrivateFile(this.path);
    const envelope = parseEnvelope(new TextDecoder().decode(bytes), this.path);
    const key = await this.#keyFor(envelope);
    let plain: ArrayBuffer;
    try {
      plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromB64(envelope.iv) },
        key,
        fromB64(envelope.data),
      );
    } catch {
      throw new SecretStoreError("STORE_DECRYPT_FAILED", `cannot decrypt ${this.path}`, {
        hints: [
          this.source.kind === "passphrase"
            ? "Is ENTRA_AUTH_CLI_PASSPHRASE the one used when the secrets were saved?"
            : "The key does not match this file; the file was left unchanged",
        ],
      });
    }
    return JSON.parse(new TextDecoder().decode(plain));
  }

  async #seal(items: Record<string, string>): Promise<Envelope> {
    const key = await this.#keyFor();
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv },
      key,
      new TextEncoder().encode(JSON.stringify(items)),
    );
    const kdf = this.source.kind === "passphrase"
      ? { name: "PBKDF2-SHA256" as const, iterations: PBKDF2_ITERATIONS, salt: toB64(this.#salt!) }
      : { name: "raw" as const };
    return { version: 1, kdf, iv: toB64(iv), data: toB64(new Uint8Array(data)) };
  }

  /** The key for an existing envelope, or for a new file when none is given. */
  async #keyFor(envelope?: Envelope): Promise<CryptoKey> {
    if (this.#key) return this.#key;
    if (this.source.kind === "raw") {
      if (envelope && envelope.kdf.name !== "raw") throw needsPassphrase(this.path);
      return this.#key = await importAesKey(this.source.key);
    }
    if (envelope && envelope.kdf.name !== "PBKDF2-SHA256") {
      throw new SecretStoreError(
        "STORE_KEY_MISMATCH",
        `${this.path} was not encrypted with a passphrase`,
        { hints: ["Unset ENTRA_AUTH_CLI_PASSPHRASE to use the key it was written with"] },
      );
    }
    const salt = envelope?.kdf.name === "PBKDF2-SHA256"
      ? fromB64(envelope.kdf.salt)
      : crypto.getRandomValues(new Uint8Array(16));
    const iterations = envelope?.kdf.name === "PBKDF2-SHA256"
      ? envelope.kdf.iterations
      : PBKDF2_ITERATIONS;
    this.#salt = salt;
    return this.#key = await deriveKey(this.source.passphrase, salt, iterations);
  }
}

function needsPassphrase(path: string): SecretStoreError {
  return new SecretStoreError("STORE_KEY_MISMATCH", `${path} is protected by a passphrase`, {
    hints: ["Set ENTRA_AUTH_CLI_PASSPHRASE to the passphrase used when the secrets were saved"],
  });
}

function parseEnvelope(text: string, path: string): Envelope {
  try {
    const e = JSON.parse(text);
    if (e?.version === 1 && typeof e.iv === "string" && typeof e.data === "string" && e.kdf) {
      return e as Envelope;
    }
  } catch { /* reported below */ }
  throw new SecretStoreError("STORE_CORRUPT", `${path} is damaged or not a secrets file`, {
    hints: ["It was left unchanged; move it away to start over (its secrets are lost)"],
  });
}

/** Imports 32 raw bytes as an AES-GCM key. */
export function importAesKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** PBKDF2-SHA256 → AES-256-GCM key. */
export async function deriveKey(
  passphrase: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(passphrase),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** Base64 of bytes. */
export function toB64(bytes: Uint8Array): string {
  return bytes.toBase64();
}

/**
 * Bytes of base64; throws on anything else. The built-in codec, not atob: atob's
 * first call costs over a millisecond, which the cached get-token path notices.
 */
export function fromB64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.fromBase64(text) as Uint8Array<ArrayBuffer>;
}
