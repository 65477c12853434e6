/**
 * The SecretStore port: where client secrets, certificate passwords and token
 * cache keys live. Backends (encrypted file, OS keychains) sit behind it.
 */

/** A key/value store for secrets. Keys are short ASCII names like `profile/ci/client-secret`. */
export interface SecretStore {
  /** Shown by `config show`, e.g. `encrypted file (~/.entra-auth-cli/secrets.enc)`. */
  readonly description: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Returns whether something was deleted. */
  delete(key: string): Promise<boolean>;
}

/** A store chosen for this run, with the one-line warning its choice deserves, if any. */
export interface OpenedSecretStore {
  store: SecretStore;
  warning?: string;
}

/** Opens the secret store lazily: commands that need no secret never pay for it. */
export interface SecretStoreOpener {
  open(): Promise<OpenedSecretStore>;
}

/** Names of the secrets a profile owns, in one place so delete/rename find them all. */
export const secretKeys = {
  clientSecret: (profile: string) => `profile/${profile}/client-secret`,
  certificatePassword: (profile: string) => `profile/${profile}/certificate-password`,
  all: (profile: string) => [
    `profile/${profile}/client-secret`,
    `profile/${profile}/certificate-password`,
  ],
};
