import { strict as assert } from "node:assert";
import { SecretStoreError } from "../../src/errors.ts";
import { LinuxSecretServiceStore } from "../../src/store/linux_secret_service.ts";
import { MemorySecretStore } from "../../src/store/memory.ts";
import { MacosKeychainStore } from "../../src/store/macos_keychain.ts";
import {
  createOsSecretStore,
  probeOsSecretStore,
  probeSecretStore,
  withDeadline,
} from "../../src/store/probe.ts";
import { WindowsDpapiStore } from "../../src/store/windows_dpapi.ts";
import { FakeCommandRunner, fakeSecretTool } from "../helpers/fake_runner.ts";

Deno.test("probe: one backend per OS", () => {
  const runner = new FakeCommandRunner();
  const make = (os: string) => createOsSecretStore({ os, runner, configHome: "/h" });
  assert.ok(make("linux") instanceof LinuxSecretServiceStore);
  assert.ok(make("darwin") instanceof MacosKeychainStore);
  const dpapi = make("windows");
  assert.ok(dpapi instanceof WindowsDpapiStore);
  assert.equal(dpapi.dir, "/h/dpapi");
  assert.equal(make("freebsd"), undefined);
});

Deno.test("probe: a working store passes and keeps nothing", async () => {
  const store = new MemorySecretStore();
  assert.equal(await probeSecretStore(store), undefined);
  assert.deepEqual(store.calls.map((c) => c.op), ["set", "get", "delete"]);
  assert.match(store.calls[0].key, /^probe\/[0-9a-f-]{36}$/);
  assert.equal(store.items.size, 0);
});

Deno.test("probe: failures become SecretStoreErrors", async (t) => {
  await t.step("store error passes through", async () => {
    const err = await probeSecretStore(new MemorySecretStore().failWith());
    assert.equal(err?.code, "STORE_UNAVAILABLE");
  });
  await t.step("other errors are wrapped", async () => {
    const err = await probeSecretStore(new MemorySecretStore().failWith(new Error("dbus")));
    assert.ok(err instanceof SecretStoreError);
    assert.match(err.message, /dbus/);
  });
  await t.step("a store that loses the value fails", async () => {
    const store = new MemorySecretStore();
    store.get = () => Promise.resolve("something else");
    assert.equal((await probeSecretStore(store))?.code, "STORE_UNAVAILABLE");
    assert.equal(store.items.size, 0, "the probe item is cleaned up");
  });
});

Deno.test("probe: linux store through the fake secret-tool", async () => {
  const items = new Map<string, string>();
  const runner = new FakeCommandRunner(fakeSecretTool(items));
  const result = await probeOsSecretStore({ os: "linux", runner, configHome: "/h" });
  assert.ok(result.store instanceof LinuxSecretServiceStore);
  assert.deepEqual(runner.calls.map((c) => c.args[0]), ["store", "lookup", "clear"]);
  assert.ok(runner.calls.every((c) => c.timeoutMs! <= 3_000), "probe calls use the probe budget");
  assert.equal(items.size, 0);
});

Deno.test("probe: a hanging daemon is given up on within the budget", async () => {
  const runner = new FakeCommandRunner(() => ({ hang: true }));
  const started = Date.now();
  const result = await probeOsSecretStore({
    os: "linux",
    runner,
    configHome: "/h",
    probeTimeoutMs: 100,
  });
  assert.equal(result.error?.code, "STORE_TIMEOUT");
  assert.ok(Date.now() - started < 1_000);
});

Deno.test("probe: unsupported OS and missing tool", async () => {
  const runner = new FakeCommandRunner(() => ({ notFound: true }));
  const none = await probeOsSecretStore({ os: "aix", runner, configHome: "/h" });
  assert.equal(none.error?.code, "STORE_UNAVAILABLE");
  assert.equal(runner.calls.length, 0);
  const missing = await probeOsSecretStore({ os: "darwin", runner, configHome: "/h" });
  assert.equal(missing.error?.code, "STORE_UNAVAILABLE");
});

Deno.test("withDeadline: calls share one budget", async () => {
  const inner = new FakeCommandRunner();
  const runner = withDeadline(inner, 200);
  await runner.run("a", [], { timeoutMs: 50 });
  await runner.run("b", [], { timeoutMs: 10_000 });
  assert.equal(inner.calls[0].timeoutMs, 50);
  assert.ok(inner.calls[1].timeoutMs! <= 200);
  await new Promise((resolve) => setTimeout(resolve, 220));
  await assert.rejects(runner.run("c", []), /deadline/);
  assert.equal(inner.calls.length, 2);
});
