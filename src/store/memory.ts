/**
 * An in-memory SecretStore for tests of code that uses secrets (profiles, token
 * cache). It can be told to fail or to refuse large values, like go-keyring's
 * MockInitWithError, so error paths are testable without an OS keyring.
 */
import { SecretStoreError } from "../errors.ts";
import type { OpenedSecretStore, SecretStore, SecretStoreOpener } from "./secret_store.ts";

/** Options for MemorySecretStore. */
export interface MemorySecretStoreOptions {
  description?: string;
  /** Values longer than this many UTF-8 bytes are refused with STORE_TOO_LARGE. */
  maxValueBytes?: number;
}

/** A Map-backed SecretStore that records calls and can be set to fail. */
export class MemorySecretStore implements SecretStore {
  readonly description: string;
  readonly items = new Map<string, string>();
  readonly calls: { op: "get" | "set" | "delete"; key: string }[] = [];
  #failure?: Error;
  #maxValueBytes?: number;

  constructor(options: MemorySecretStoreOptions = {}) {
    this.description = options.description ?? "memory (tests)";
    this.#maxValueBytes = options.maxValueBytes;
  }

  /** Makes every following call throw `err` (a STORE_UNAVAILABLE error by default). */
  failWith(err?: Error): this {
    this.#failure = err ??
      new SecretStoreError("STORE_UNAVAILABLE", "memory store set to fail");
    return this;
  }

  /** Stops failing. */
  recover(): this {
    this.#failure = undefined;
    return this;
  }

  get(key: string): Promise<string | undefined> {
    return this.#do("get", key, () => this.items.get(key));
  }

  set(key: string, value: string): Promise<void> {
    return this.#do("set", key, () => {
      const bytes = new TextEncoder().encode(value).length;
      if (this.#maxValueBytes !== undefined && bytes > this.#maxValueBytes) {
        throw new SecretStoreError(
          "STORE_TOO_LARGE",
          `secret of ${bytes} bytes is too large for ${this.description}`,
        );
      }
      this.items.set(key, value);
    });
  }

  delete(key: string): Promise<boolean> {
    return this.#do("delete", key, () => this.items.delete(key));
  }

  #do<T>(op: "get" | "set" | "delete", key: string, fn: () => T): Promise<T> {
    this.calls.push({ op, key });
    if (this.#failure) return Promise.reject(this.#failure);
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

/** An opener that hands out `store` (and `warning`), for tests of commands. */
export function createMemoryOpener(
  store: SecretStore = new MemorySecretStore(),
  warning?: string,
): SecretStoreOpener & { opened: number } {
  const opener = {
    opened: 0,
    open(): Promise<OpenedSecretStore> {
      opener.opened++;
      return Promise.resolve(warning === undefined ? { store } : { store, warning });
    },
  };
  return opener;
}
