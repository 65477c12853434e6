import { strict as assert } from "node:assert";
import { SecretStoreError } from "../../src/errors.ts";
import {
  KEYCHAIN_VALUE_PREFIX,
  MacosKeychainStore,
  SECURITY_MAX_LINE_BYTES,
} from "../../src/store/macos_keychain.ts";
import { FakeCommandRunner, type FakeResponse } from "../helpers/fake_runner.ts";

const SECRET = "pa ss'\"word\nwith newline ü $HOME `x`";

function setup(...responses: FakeResponse[]) {
  const runner = new FakeCommandRunner().respond(...responses);
  return { runner, store: new MacosKeychainStore({ runner, timeoutMs: 1234 }) };
}

function encoded(value: string): string {
  const bytes = new TextEncoder().encode(value);
  return KEYCHAIN_VALUE_PREFIX + btoa(String.fromCharCode(...bytes));
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err) => err instanceof SecretStoreError && err.code === code);
}

Deno.test("macos keychain: set writes one base64 command line to security -i", async () => {
  const { runner, store } = setup({});
  await store.set("profile/ci/client-secret", SECRET);
  assert.equal(runner.calls.length, 1);
  const call = runner.calls[0];
  assert.equal(call.cmd, "/usr/bin/security");
  assert.deepEqual(call.args, ["-i"]);
  assert.equal(call.timeoutMs, 1234);
  assert.equal(
    call.stdin,
    `add-generic-password -U -s entra-auth-cli -a profile/ci/client-secret -w ${encoded(SECRET)}\n`,
  );
  // One line, nothing that security's tokenizer would have to unquote.
  assert.match(call.stdin!, /^[A-Za-z0-9 ./:+=_-]+\n$/);
  assert.ok(!runner.allArgs().some((a) => a.includes("word")));
});

Deno.test("macos keychain: get decodes our items and strips the newline", async (t) => {
  await t.step("encoded", async () => {
    const { runner, store } = setup({ stdout: `${encoded(SECRET)}\n` });
    assert.equal(await store.get("k"), SECRET);
    assert.deepEqual(runner.calls[0].args, [
      "find-generic-password",
      "-s",
      "entra-auth-cli",
      "-a",
      "k",
      "-w",
    ]);
  });
  await t.step("foreign item is returned as printed", async () => {
    assert.equal(await setup({ stdout: "plain\n" }).store.get("k"), "plain");
  });
  await t.step("damaged encoding", async () => {
    const { store } = setup({ stdout: `${KEYCHAIN_VALUE_PREFIX}%%%\n` });
    await rejectsWithCode(store.get("k"), "STORE_CORRUPT");
  });
});

Deno.test("macos keychain: exit codes and messages", async (t) => {
  const notFound = "security: SecKeychainSearchCopyNext: The specified item could not be found.";
  await t.step("44 is not found", async () => {
    assert.equal(await setup({ code: 44, stderr: notFound }).store.get("k"), undefined);
    assert.equal(await setup({ code: 44 }).store.delete("k"), false);
  });
  await t.step("message alone is not found", async () => {
    assert.equal(await setup({ code: 1, stderr: notFound }).store.get("k"), undefined);
  });
  await t.step("user cancelled", async () => {
    const stderr = "security: SecKeychainItemCopyContent: User canceled the operation.";
    await rejectsWithCode(setup({ code: 128, stderr }).store.get("k"), "STORE_CANCELLED");
    await rejectsWithCode(setup({ code: 0, stderr }).store.set("k", "v"), "STORE_CANCELLED");
  });
  await t.step("locked without a GUI", async () => {
    const stderr = "security: SecKeychainItemCopyContent: User interaction is not allowed.";
    await rejectsWithCode(setup({ code: 36, stderr }).store.get("k"), "STORE_LOCKED");
  });
  await t.step("timeout", async () => {
    await rejectsWithCode(setup({ timeout: true }).store.set("k", "v"), "STORE_TIMEOUT");
  });
  await t.step("other failure", async () => {
    await rejectsWithCode(setup({ code: 1, stderr: "boom" }).store.delete("k"), "STORE_FAILED");
  });
  await t.step("stderr from -i fails the write even with exit 0", async () => {
    await rejectsWithCode(setup({ stderr: "unknown command" }).store.set("k", "v"), "STORE_FAILED");
  });
});

Deno.test("macos keychain: write errors never echo the secret", async () => {
  const { store } = setup({ code: 1, stderr: `bad line: -w ${encoded("hunter22")}` });
  await assert.rejects(store.set("k", "hunter22"), (err: Error) => !err.message.includes("b64:"));
});

Deno.test("macos keychain: refuses values whose line would pass 4096 bytes", async () => {
  const { runner, store } = setup({});
  // 2 900 bytes encode to 3 868 characters: the line still fits.
  await store.set("k", "x".repeat(2900));
  assert.ok(new TextEncoder().encode(runner.calls[0].stdin).length <= SECURITY_MAX_LINE_BYTES);
  await rejectsWithCode(store.set("k", "x".repeat(3100)), "STORE_TOO_LARGE");
  assert.equal(runner.calls.length, 1);
});

Deno.test("macos keychain: delete", async () => {
  const { runner, store } = setup({ stdout: "keychain: ...\n" });
  assert.equal(await store.delete("a/b"), true);
  assert.deepEqual(runner.calls[0].args, [
    "delete-generic-password",
    "-s",
    "entra-auth-cli",
    "-a",
    "a/b",
  ]);
});

Deno.test("macos keychain: rejects key names that would need quoting", async () => {
  const { runner, store } = setup();
  await rejectsWithCode(store.set("a -w x", "v"), "STORE_BAD_KEY");
  assert.equal(runner.calls.length, 0);
});
