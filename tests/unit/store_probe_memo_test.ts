import { strict as assert } from "node:assert";
import { withTempDir } from "../helpers/util.ts";
import { SecretStoreError } from "../../src/errors.ts";
import { DATA_KEY_NAME, type SelectDeps, selectSecretStore } from "../../src/store/select.ts";
import { FakeCommandRunner, type FakeHandler, fakeSecretTool } from "../helpers/fake_runner.ts";

/** A config home that does not exist yet, inside a temp dir. */
function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  return withTempDir((dir) => fn(`${dir}/config`));
}

function deps(home: string, handler: FakeHandler, vars: Record<string, string> = {}) {
  const runner = new FakeCommandRunner(handler);
  const d: SelectDeps = {
    env: { get: (n) => vars[n] },
    paths: { configHome: () => home },
    runner,
    os: "linux",
    probeTimeoutMs: 200,
  };
  return { d, runner };
}

const stores = (runner: FakeCommandRunner) =>
  runner.calls.filter((c) => c.args[0] === "store").length;

Deno.test("a passed probe is remembered: the next run in the same session does not probe", () =>
  withHome(async (home) => {
    const items = new Map<string, string>();
    const first = deps(home, fakeSecretTool(items), { DBUS_SESSION_BUS_ADDRESS: "unix:a" });
    await (await selectSecretStore(first.d)).openEncryptedFile("cache/x.enc");
    assert.equal(stores(first.runner), 2, "probe item and the new data key");
    const second = deps(home, fakeSecretTool(items), { DBUS_SESSION_BUS_ADDRESS: "unix:a" });
    const opened = await selectSecretStore(second.d);
    assert.equal(opened.backend, "keyring");
    await opened.openEncryptedFile("cache/x.enc");
    assert.deepEqual(second.runner.calls.map((c) => c.args[0]), ["lookup"], "just the data key");
  }));

Deno.test("another session (a different D-Bus, an SSH login) probes afresh", () =>
  withHome(async (home) => {
    const items = new Map<string, string>();
    const desk = deps(home, fakeSecretTool(items), { DBUS_SESSION_BUS_ADDRESS: "unix:a" });
    await selectSecretStore(desk.d);
    const ssh = deps(home, fakeSecretTool(items), {
      DBUS_SESSION_BUS_ADDRESS: "unix:a",
      SSH_CONNECTION: "1.2.3.4 5 6.7.8.9 22",
    });
    await selectSecretStore(ssh.d);
    assert.equal(stores(ssh.runner), 1, "the probe ran");
  }));

Deno.test("a remembered store that stopped working never gets a new data key", () =>
  withHome(async (home) => {
    const items = new Map<string, string>();
    const first = deps(home, fakeSecretTool(items));
    await selectSecretStore(first.d);
    // The keyring locks: lookups find nothing (as secret-tool says), stores fail.
    const locked: FakeHandler = (call) =>
      call.args[0] === "store"
        ? { code: 1, stderr: "Cannot create an item in a locked collection" }
        : { code: 1 };
    const later = deps(home, locked);
    const opened = await selectSecretStore(later.d);
    await assert.rejects(
      opened.openEncryptedFile("cache/x.enc"),
      (e) => e instanceof SecretStoreError && e.code === "STORE_UNAVAILABLE",
    );
    assert.ok(
      !later.runner.calls.some((c) => c.args[0] === "store" && c.args.includes(DATA_KEY_NAME)),
    );
    // The memo is gone: the next run probes and falls back with the warning.
    const next = deps(home, locked);
    const fallback = await selectSecretStore(next.d);
    assert.equal(fallback.backend, "file");
  }));
