import { strict as assert } from "node:assert";
import { SecretStoreError } from "../../src/errors.ts";
import {
  LinuxSecretServiceStore,
  SECRET_TOOL_MAX_BYTES,
} from "../../src/store/linux_secret_service.ts";
import { STORE_TIMEOUT_MS } from "../../src/store/os_shared.ts";
import { FakeCommandRunner, type FakeResponse } from "../helpers/fake_runner.ts";

const SECRET = "s3cr3t-value\nline two ü";

function setup(...responses: FakeResponse[]) {
  const runner = new FakeCommandRunner().respond(...responses);
  return { runner, store: new LinuxSecretServiceStore({ runner }) };
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err) => err instanceof SecretStoreError && err.code === code);
}

Deno.test("linux secret service: set sends the secret on stdin only", async () => {
  const { runner, store } = setup({});
  await store.set("profile/ci/client-secret", SECRET);
  assert.deepEqual(runner.calls, [{
    cmd: "secret-tool",
    args: [
      "store",
      "--label=entra-auth-cli profile/ci/client-secret",
      "service",
      "entra-auth-cli",
      "key",
      "profile/ci/client-secret",
    ],
    stdin: SECRET,
    timeoutMs: STORE_TIMEOUT_MS,
  }]);
  assert.ok(!runner.allArgs().some((a) => a.includes("s3cr3t")));
});

Deno.test("linux secret service: get returns stdout exactly", async () => {
  const { runner, store } = setup({ stdout: SECRET });
  assert.equal(await store.get("k"), SECRET);
  assert.deepEqual(runner.calls[0].args, ["lookup", "service", "entra-auth-cli", "key", "k"]);
  assert.equal(runner.calls[0].stdin, undefined);
});

Deno.test("linux secret service: missing item and errors", async (t) => {
  await t.step("exit 1 without stderr is not found", async () => {
    assert.equal(await setup({ code: 1 }).store.get("k"), undefined);
  });
  await t.step("exit 1 with stderr is a failure", async () => {
    const { store } = setup({ code: 1, stderr: "secret-tool: Cannot autolaunch D-Bus\n" });
    await rejectsWithCode(store.get("k"), "STORE_FAILED");
  });
  await t.step("timeout", async () => {
    await rejectsWithCode(setup({ timeout: true }).store.get("k"), "STORE_TIMEOUT");
  });
  await t.step("secret-tool not installed", async () => {
    await rejectsWithCode(setup({ notFound: true }).store.set("k", "v"), "STORE_UNAVAILABLE");
  });
});

Deno.test("linux secret service: store with stderr fails even on exit 0", async () => {
  const { store } = setup({ code: 0, stderr: "secret-tool: password is too long\n" });
  await rejectsWithCode(store.set("k", "v"), "STORE_FAILED");
});

Deno.test("linux secret service: failure messages never echo the secret", async () => {
  const { store } = setup({ code: 1, stderr: `secret-tool: oops ${SECRET}` });
  await assert.rejects(store.set("k", SECRET), (err: Error) => !err.message.includes("s3cr3t"));
});

Deno.test("linux secret service: refuses values secret-tool would truncate", async () => {
  const { runner, store } = setup({}, {});
  await store.set("k", "x".repeat(SECRET_TOOL_MAX_BYTES));
  await rejectsWithCode(store.set("k", "x".repeat(SECRET_TOOL_MAX_BYTES + 1)), "STORE_TOO_LARGE");
  // Multi-byte characters count as bytes, not characters.
  await rejectsWithCode(store.set("k", "ü".repeat(4096)), "STORE_TOO_LARGE");
  assert.equal(runner.calls.length, 1);
});

Deno.test("linux secret service: delete", async (t) => {
  await t.step("found", async () => {
    const { runner, store } = setup({});
    assert.equal(await store.delete("k"), true);
    assert.deepEqual(runner.calls[0].args, ["clear", "service", "entra-auth-cli", "key", "k"]);
  });
  await t.step("not found", async () => {
    assert.equal(await setup({ code: 1 }).store.delete("k"), false);
  });
  await t.step("error", async () => {
    await rejectsWithCode(setup({ code: 1, stderr: "boom" }).store.delete("k"), "STORE_FAILED");
  });
});

Deno.test("linux secret service: rejects key names that need quoting", async () => {
  const { runner, store } = setup();
  for (const key of ["", "a b", "x;rm", "ключ", "k".repeat(200)]) {
    await rejectsWithCode(store.get(key), "STORE_BAD_KEY");
  }
  assert.equal(runner.calls.length, 0);
});

Deno.test("linux secret service: description names the backend", () => {
  assert.match(setup().store.description, /Linux Secret Service/);
});
