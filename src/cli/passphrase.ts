/**
 * The passphrase that seals exported secrets: ENTRA_AUTH_CLI_EXPORT_PASSPHRASE,
 * or, on a terminal, a prompt (asked twice when exporting, so a typo cannot
 * lock the secrets away).
 */
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { canPrompt } from "./profile_questions.ts";

export const PASSPHRASE_ENV = "ENTRA_AUTH_CLI_EXPORT_PASSPHRASE";
const MIN_LENGTH = 8;

/** The passphrase for `config export --include-secrets` (new: at least 8 characters). */
export async function newPassphrase(deps: Deps): Promise<string> {
  const short = (v: string) =>
    v.length >= MIN_LENGTH || `the passphrase must have at least ${MIN_LENGTH} characters`;
  const fromEnv = deps.env.get(PASSPHRASE_ENV);
  if (fromEnv) {
    const verdict = short(fromEnv);
    if (verdict !== true) throw new UsageError("PASSPHRASE_WEAK", `${PASSPHRASE_ENV}: ${verdict}`);
    return fromEnv;
  }
  requireTerminal(deps, "encrypt the exported secrets");
  const first = await deps.prompt.password("Passphrase to encrypt the secrets:", {
    validate: short,
  });
  await deps.prompt.password("Repeat the passphrase:", {
    validate: (v) => v === first || "the passphrases do not match",
  });
  return first;
}

/** The passphrase for `config import` of a file with secrets. */
export async function existingPassphrase(deps: Deps, source: string): Promise<string> {
  const fromEnv = deps.env.get(PASSPHRASE_ENV);
  if (fromEnv) return fromEnv;
  requireTerminal(deps, `decrypt the secrets in ${source}`);
  return await deps.prompt.password(`Passphrase for ${source}:`);
}

function requireTerminal(deps: Deps, purpose: string): void {
  if (canPrompt(deps)) return;
  throw new UsageError("PASSPHRASE_REQUIRED", `a passphrase is needed to ${purpose}`, {
    hints: [`Set ${PASSPHRASE_ENV}, or run in a terminal to be asked`],
  });
}
