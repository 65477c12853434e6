/**
 * The few error classes the CLI uses. Each carries a stable `code` that tests
 * assert on; `exitCodeFor` in app.ts maps classes to the exit codes of SPEC §3.
 */

/** Base class: a message meant for the user plus optional hint lines. */
export class CliError extends Error {
  readonly hints: string[];
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions & { hints?: string[] },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.hints = options?.hints ?? [];
  }
}

/** Bad flags, bad values, missing or invalid profiles and files: exit 2. */
export class UsageError extends CliError {}

/** Entra rejected the app or its credentials: exit 3. */
export class CredentialError extends CliError {}

/** A person is needed (or said no): exit 4. */
export class InteractionError extends CliError {}

/** Network or service failure that retries did not clear: exit 5. */
export class ServiceError extends CliError {}

/** `discover`/`inspect`: the token is expired, not yet valid or not a JWT: exit 6. */
export class TokenInvalidError extends CliError {}

/** Ctrl-C or another cancellation: exit 130. */
export class CancelledError extends CliError {}

/** The secret store failed; usage-class (exit 2) because the fix is local. */
export class SecretStoreError extends UsageError {}

/** Exit code for an error, in one place (SPEC §3). */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return 2;
  if (err instanceof CredentialError) return 3;
  if (err instanceof InteractionError) return 4;
  if (err instanceof ServiceError) return 5;
  if (err instanceof TokenInvalidError) return 6;
  if (err instanceof CancelledError) return 130;
  return 1;
}
