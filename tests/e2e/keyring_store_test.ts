/**
 * The Linux Secret Service backend against a real gnome-keyring on a private bus,
 * and the selection's fallback when there is no usable keyring (no bus, an absent
 * collection, a bus that never answers). Skipped where the keyring tools are missing.
 */
import { strict as assert } from "node:assert";
import { withTempDir } from "../helpers/util.ts";
import { SecretStoreError } from "../../src/errors.ts";
import { type CommandRunner, createCommandRunner } from "../../src/platform/command_runner.ts";
import {
  LinuxSecretServiceStore,
  SECRET_TOOL_MAX_BYTES,
} from "../../src/store/linux_secret_service.ts";
import { DATA_KEY_NAME, type SelectDeps, selectSecretStore } from "../../src/store/select.ts";
import { keyringToolsInstalled, startTestKeyring } from "../helpers/keyring.ts";

const ignore = !keyringToolsInstalled();
const PROBE_MS = 1_000;

/** The real runner, with extra variables for every child (the keyring's bus address…). */
function runnerWith(env: Record<string, string>): CommandRunner {
  const real = createCommandRunner();
  return { run: (cmd, args, options = {}) => real.run(cmd, args, { ...options, env }) };
}

async function lookup(env: Record<string, string>, key: string) {
  const out = await new Deno.Command("secret-tool", {
    args: ["lookup", "service", "entra-auth-cli", "key", key],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

/** A config home that does not exist yet, inside a temp dir. */
function withConfigHome(fn: (home: string) => Promise<void>): Promise<void> {
  return withTempDir((dir) => fn(`${dir}/config`));
}

function selectDeps(home: string, runner: CommandRunner, vars: Record<string, string> = {}) {
  const deps: SelectDeps = {
    env: { get: (name) => vars[name] },
    paths: { configHome: () => home },
    runner,
    os: "linux",
    probeTimeoutMs: PROBE_MS,
  };
  return deps;
}

async function assertFallsBack(home: string, runner: CommandRunner): Promise<void> {
  const started = Date.now();
  const opened = await selectSecretStore(selectDeps(home, runner));
  assert.ok(Date.now() - started < PROBE_MS + 1_000, "no longer than the probe budget");
  assert.equal(opened.backend, "file");
  assert.ok(opened.warning?.includes(`${home}/secret.key`));
}

Deno.test(
  { name: "keyring e2e: round trip through the real Secret Service", ignore },
  async (t) => {
    const keyring = await startTestKeyring();
    try {
      const store = new LinuxSecretServiceStore({ runner: runnerWith(keyring.env) });
      const key = "profile/e2e/client-secret";

      await t.step("set, get, visible to secret-tool", async () => {
        const value = 'first line\nsecond ü 🔑 "quoted" $HOME\n';
        await store.set(key, value);
        assert.equal(await store.get(key), value);
        assert.deepEqual(await lookup(keyring.env, key), { code: 0, stdout: value });
      });
      await t.step("overwrite replaces the item", async () => {
        await store.set(key, "second");
        assert.equal(await store.get(key), "second");
      });
      await t.step("empty value", async () => {
        await store.set("empty", "");
        assert.equal(await store.get("empty"), "");
        assert.equal(await store.delete("empty"), true);
      });
      await t.step("largest value secret-tool keeps whole, and one byte more", async () => {
        const largest = "x".repeat(SECRET_TOOL_MAX_BYTES - 2) + "ü";
        await store.set("big", largest);
        assert.equal(await store.get("big"), largest);
        await assert.rejects(
          store.set("big", largest + "y"),
          (err) => err instanceof SecretStoreError && err.code === "STORE_TOO_LARGE",
        );
        assert.equal(await store.get("big"), largest, "the refused value stored nothing");
      });
      await t.step("delete removes it for everyone", async () => {
        assert.equal(await store.delete(key), true);
        assert.equal(await store.get(key), undefined);
        assert.equal((await lookup(keyring.env, key)).code, 1);
        assert.equal(await store.delete(key), false);
      });
    } finally {
      await keyring.stop();
    }
  },
);

Deno.test(
  { name: "keyring e2e: selection uses the keyring and its data key", ignore },
  async () => {
    const keyring = await startTestKeyring();
    try {
      await withConfigHome(async (home) => {
        const runner = runnerWith(keyring.env);
        const opened = await selectSecretStore(selectDeps(home, runner));
        assert.equal(opened.backend, "keyring");
        assert.equal(opened.warning, undefined);
        assert.match(opened.store.description, /Linux Secret Service/);

        const cache = await opened.openEncryptedFile("token-cache.enc");
        await cache.set("tokens", "t".repeat(50_000));
        const dataKey = await lookup(keyring.env, DATA_KEY_NAME);
        assert.equal(atob(dataKey.stdout).length, 32);
        assert.throws(() => Deno.statSync(`${home}/secret.key`), Deno.errors.NotFound);

        const again = await selectSecretStore(selectDeps(home, runner));
        const reopened = await again.openEncryptedFile("token-cache.enc");
        assert.equal((await reopened.get("tokens"))?.length, 50_000);
      });
    } finally {
      await keyring.stop();
    }
  },
);

Deno.test({ name: "keyring e2e: no session bus falls back to the key file", ignore }, async (t) => {
  await withConfigHome(async (home) => {
    await t.step("empty bus address", async () => {
      await assertFallsBack(home, runnerWith({ DBUS_SESSION_BUS_ADDRESS: "" }));
    });
    await t.step("bus socket does not exist", async () => {
      const address = `unix:path=${home}-no-such-bus`;
      await assertFallsBack(home, runnerWith({ DBUS_SESSION_BUS_ADDRESS: address }));
    });
    // Unset for real only when unsetting cannot autolaunch a bus on a desktop.
    if (!Deno.env.get("DBUS_SESSION_BUS_ADDRESS") && !Deno.env.get("DISPLAY")) {
      await t.step("no bus variable at all", async () => {
        await assertFallsBack(home, createCommandRunner());
      });
    }
  });
});

Deno.test({ name: "keyring e2e: a bus that never answers cannot hang us", ignore }, async () => {
  await withConfigHome(async (home) => {
    const path = `${home}-silent-bus`;
    const listener = Deno.listen({ transport: "unix", path });
    const held: Deno.Conn[] = [];
    const accepting = (async () => {
      for await (const conn of listener) held.push(conn); // accept, then say nothing
    })();
    try {
      await assertFallsBack(home, runnerWith({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` }));
    } finally {
      listener.close();
      await accepting.catch(() => {});
      for (const conn of held) conn.close();
      await Deno.remove(path).catch(() => {});
    }
  });
});

Deno.test({ name: "keyring e2e: a daemon with no unlocked collection", ignore }, async (t) => {
  const keyring = await startTestKeyring({ unlocked: false });
  try {
    await withConfigHome(async (home) => {
      const runner = runnerWith(keyring.env);
      await t.step("automatic selection falls back", async () => {
        await assertFallsBack(home, runner);
      });
      await t.step("=keyring is an error naming the cause", async () => {
        const deps = selectDeps(home, runner, { ENTRA_AUTH_CLI_SECRET_STORE: "keyring" });
        await assert.rejects(selectSecretStore(deps), (err) => {
          assert.ok(err instanceof SecretStoreError);
          assert.equal(err.code, "STORE_UNAVAILABLE");
          assert.match(err.message, /ENTRA_AUTH_CLI_SECRET_STORE=keyring.*secret-tool|collection/);
          return true;
        });
      });
    });
  } finally {
    await keyring.stop();
  }
});
