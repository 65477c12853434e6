import assert from "node:assert/strict";
import { withTempDir } from "../helpers/util.ts";
import { EncryptedFileStore } from "../../src/store/encrypted_file.ts";
import { SecretStoreError, UsageError } from "../../src/errors.ts";

const withDir = withTempDir;

const raw = (fill: number) => ({
  kind: "raw" as const,
  key: new Uint8Array(32).fill(fill),
  label: "test key",
});

Deno.test("round trip with a raw key; the file holds no plaintext", () =>
  withDir(async (dir) => {
    const store = new EncryptedFileStore(`${dir}/s.enc`, raw(1));
    await store.set("a", "super-secret-value");
    assert.equal(await store.get("a"), "super-secret-value");
    assert.ok(!(await Deno.readTextFile(`${dir}/s.enc`)).includes("super-secret"));
    assert.equal(await store.delete("a"), true);
    assert.equal(await store.get("a"), undefined);
  }));

Deno.test("a wrong key fails with STORE_DECRYPT_FAILED and deletes nothing", () =>
  withDir(async (dir) => {
    await new EncryptedFileStore(`${dir}/s.enc`, raw(1)).set("a", "v");
    const before = await Deno.readTextFile(`${dir}/s.enc`);
    const other = new EncryptedFileStore(`${dir}/s.enc`, raw(2));
    await assert.rejects(
      other.get("a"),
      (e) => e instanceof SecretStoreError && e.code === "STORE_DECRYPT_FAILED",
    );
    await assert.rejects(other.set("b", "w"), SecretStoreError);
    assert.equal(await Deno.readTextFile(`${dir}/s.enc`), before);
  }));

Deno.test("passphrase mode derives the key and rejects a wrong passphrase", () =>
  withDir(async (dir) => {
    await new EncryptedFileStore(`${dir}/s.enc`, { kind: "passphrase", passphrase: "right" }).set(
      "a",
      "v",
    );
    assert.equal(
      await new EncryptedFileStore(`${dir}/s.enc`, { kind: "passphrase", passphrase: "right" }).get(
        "a",
      ),
      "v",
    );
    await assert.rejects(
      new EncryptedFileStore(`${dir}/s.enc`, { kind: "passphrase", passphrase: "wrong" }).get("a"),
      SecretStoreError,
    );
    await assert.rejects(new EncryptedFileStore(`${dir}/s.enc`, raw(1)).get("a"), SecretStoreError);
  }));

Deno.test("corrupt or world-readable files are refused", () =>
  withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/s.enc`, "garbage", { mode: 0o600 });
    await assert.rejects(
      new EncryptedFileStore(`${dir}/s.enc`, raw(1)).get("a"),
      (e) => e instanceof SecretStoreError && e.code === "STORE_CORRUPT",
    );
    assert.equal(await Deno.readTextFile(`${dir}/s.enc`), "garbage");
    await new EncryptedFileStore(`${dir}/t.enc`, raw(1)).set("a", "v");
    await Deno.chmod(`${dir}/t.enc`, 0o644);
    await assert.rejects(
      new EncryptedFileStore(`${dir}/t.enc`, raw(1)).get("a"),
      (e) =>
        e instanceof UsageError && e.code === "FILE_MODE_UNSAFE" &&
        e.hints[0].includes("chmod 600"),
    );
  }));
