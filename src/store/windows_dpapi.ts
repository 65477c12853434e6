/**
 * Windows DPAPI (current user) through PowerShell's ProtectedData. Each secret is
 * encrypted by the OS for the signed-in user and kept as one small file under the
 * config home. The secret travels to PowerShell on stdin; argv holds only the script.
 *
 * DPAPI rather than Credential Manager because a credential blob is capped at
 * 2560 bytes, too small for JWT-sized values (Azure/azure-cli#4843).
 * Not exercised on a real Windows machine by this repo's tests (see the report in #4).
 */
import { SecretStoreError } from "../errors.ts";
import {
  checkPrivateFile,
  ensurePrivateDir,
  readFileIfExists,
  writeFileAtomic,
} from "../platform/files.ts";
import { fromB64, toB64 } from "./encrypted_file.ts";
import type { SecretStore } from "./secret_store.ts";
import { checkStoreKey, type OsStoreOptions, runStoreCommand, storeFailed } from "./os_shared.ts";

const BACKEND = "Windows DPAPI";
const POWERSHELL = "powershell.exe";

// Only single quotes inside: Windows argv quoting wraps the script in double quotes.
// Both directions carry base64 so console code pages cannot mangle UTF-8.
const SCRIPT_HEAD = [
  "$ErrorActionPreference = 'Stop'",
  "Add-Type -AssemblyName System.Security",
  "$in = [Convert]::FromBase64String([Console]::In.ReadToEnd().Trim())",
  // Fixed entropy ties the blobs to this tool: another program of the same user
  // needs to know it to decrypt them.
  "$entropy = [Text.Encoding]::UTF8.GetBytes('entra-auth-cli')",
];

/** PowerShell that encrypts base64 stdin and prints the DPAPI blob as base64. */
export const PROTECT_SCRIPT = [
  ...SCRIPT_HEAD,
  "$out = [Security.Cryptography.ProtectedData]::Protect($in, $entropy, 'CurrentUser')",
  "[Console]::Out.Write([Convert]::ToBase64String($out))",
].join("; ");

/** PowerShell that decrypts a base64 DPAPI blob from stdin and prints base64. */
export const UNPROTECT_SCRIPT = [
  ...SCRIPT_HEAD,
  "$out = [Security.Cryptography.ProtectedData]::Unprotect($in, $entropy, 'CurrentUser')",
  "[Console]::Out.Write([Convert]::ToBase64String($out))",
].join("; ");

interface DpapiFile {
  version: 1;
  scope: "CurrentUser";
  blob: string;
}

/** A SecretStore of DPAPI-encrypted files, one per key, in `dir`. */
export class WindowsDpapiStore implements SecretStore {
  readonly description: string;

  constructor(readonly dir: string, private readonly options: OsStoreOptions) {
    this.description = `${BACKEND} (current user), files in ${dir}`;
  }

  async get(key: string): Promise<string | undefined> {
    const path = this.pathFor(key);
    const bytes = await readFileIfExists(path);
    if (bytes === undefined) return undefined;
    await checkPrivateFile(path);
    const file = parseDpapiFile(new TextDecoder().decode(bytes), path);
    const plain = await this.#powershell(UNPROTECT_SCRIPT, file.blob, "decrypt", path);
    return new TextDecoder().decode(plain);
  }

  async set(key: string, value: string): Promise<void> {
    const path = this.pathFor(key);
    const plain = toB64(new TextEncoder().encode(value));
    const blob = toB64(await this.#powershell(PROTECT_SCRIPT, plain, "encrypt", path));
    const file: DpapiFile = { version: 1, scope: "CurrentUser", blob };
    await ensurePrivateDir(this.dir);
    await writeFileAtomic(path, JSON.stringify(file) + "\n");
  }

  async delete(key: string): Promise<boolean> {
    try {
      await Deno.remove(this.pathFor(key));
      return true;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return false;
      throw err;
    }
  }

  /** The file for a key; the name is case-folded safely because NTFS ignores case. */
  pathFor(key: string): string {
    return `${this.dir}/${fileNameFor(checkStoreKey(key))}`;
  }

  async #powershell(
    script: string,
    stdin: string,
    action: string,
    path: string,
  ): Promise<Uint8Array<ArrayBuffer>> {
    const args = ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script];
    const result = await runStoreCommand(this.options, BACKEND, { cmd: POWERSHELL, args, stdin });
    if (result.code === 0) {
      const decoded = decodeBase64(result.stdout.trim());
      if (decoded) return decoded;
    }
    if (action === "decrypt" && /Cryptographic/i.test(result.stderr)) {
      throw new SecretStoreError("STORE_CORRUPT", `${path} cannot be decrypted by this user`, {
        hints: ["It was written by another Windows user or machine, or is damaged; left unchanged"],
      });
    }
    throw storeFailed(BACKEND, action, result, [stdin]);
  }
}

/** `profile/ci/Secret` → `profile_2fci_2f_53ecret.dpapi`: lower-case letters, digits, '.', '-' stay. */
export function fileNameFor(key: string): string {
  let name = "";
  for (const ch of key) {
    name += /[a-z0-9.-]/.test(ch) ? ch : `_${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
  }
  return `${name}.dpapi`;
}

function parseDpapiFile(text: string, path: string): DpapiFile {
  try {
    const file = JSON.parse(text);
    if (file?.version === 1 && typeof file.blob === "string" && decodeBase64(file.blob)) {
      return file as DpapiFile;
    }
  } catch { /* reported below */ }
  throw new SecretStoreError("STORE_CORRUPT", `${path} is damaged or not a DPAPI secret file`, {
    hints: ["It was left unchanged; move it away and save the secret again"],
  });
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    return fromB64(text);
  } catch {
    return undefined;
  }
}
