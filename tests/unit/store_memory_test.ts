import { strict as assert } from "node:assert";
import { SecretStoreError } from "../../src/errors.ts";
import { createMemoryOpener, MemorySecretStore } from "../../src/store/memory.ts";

Deno.test("memory store: get/set/delete and call log", async () => {
  const store = new MemorySecretStore();
  assert.equal(await store.get("a"), undefined);
  await store.set("a", "1");
  assert.equal(await store.get("a"), "1");
  assert.equal(await store.delete("a"), true);
  assert.equal(await store.delete("a"), false);
  assert.deepEqual(store.calls.map((c) => c.op), ["get", "set", "get", "delete", "delete"]);
});

Deno.test("memory store: can be told to fail and to recover", async () => {
  const store = new MemorySecretStore().failWith();
  await assert.rejects(
    store.get("a"),
    (err) => err instanceof SecretStoreError && err.code === "STORE_UNAVAILABLE",
  );
  const custom = new SecretStoreError("STORE_TIMEOUT", "slow");
  store.failWith(custom);
  await assert.rejects(store.set("a", "b"), (err) => err === custom);
  store.recover();
  await store.set("a", "b");
  assert.equal(store.items.get("a"), "b");
});

Deno.test("memory store: size limit counts UTF-8 bytes", async () => {
  const store = new MemorySecretStore({ maxValueBytes: 4 });
  await store.set("a", "abcd");
  await assert.rejects(
    store.set("a", "üüü"),
    (err) => err instanceof SecretStoreError && err.code === "STORE_TOO_LARGE",
  );
  assert.equal(store.items.get("a"), "abcd");
});

Deno.test("memory opener: hands out the store and warning", async () => {
  const store = new MemorySecretStore({ description: "test store" });
  const opener = createMemoryOpener(store, "⚠ careful");
  const opened = await opener.open();
  assert.equal(opened.store.description, "test store");
  assert.equal(opened.warning, "⚠ careful");
  assert.equal(opener.opened, 1);
  assert.equal("warning" in await createMemoryOpener().open(), false);
});
