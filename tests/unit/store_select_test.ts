import { strict as assert } from "node:assert";
import { exitCodeFor, SecretStoreError, UsageError } from "../../src/errors.ts";
import {
  createSecretStoreOpener,
  DATA_KEY_NAME,
  type SelectDeps,
  selectSecretStore,
} from "../../src/store/select.ts";
import { FakeCommandRunner, type FakeHandler, fakeSecretTool } from "../helpers/fake_runner.ts";

interface Setup {
  deps: SelectDeps;
  runner: FakeCommandRunner;
  home: string;
}

async function withHome(
  vars: Record<string, string>,
  handler: FakeHandler,
  fn: (s: Setup) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const home = `${dir}/config`;
  const runner = new FakeCommandRunner(handler);
  const deps: SelectDeps = {
    env: { get: (name) => vars[name] },
    paths: { configHome: () => home },
    runner,
    os: "linux",
    probeTimeoutMs: 200,
  };
  try {
    await fn({ deps, runner, home });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const missing: FakeHandler = () => ({ notFound: true });
const hangs: FakeHandler = () => ({ hang: true });

function isCode(code: string) {
  return (err: unknown) => err instanceof UsageError && err.code === code;
}

Deno.test("select: =file uses the key file without probing or warning", async () => {
  await withHome(
    { ENTRA_AUTH_CLI_SECRET_STORE: "file" },
    missing,
    async ({ deps, runner, home }) => {
      const opened = await selectSecretStore(deps);
      assert.equal(opened.backend, "file");
      assert.equal(opened.warning, undefined);
      assert.match(opened.store.description, /secrets\.enc.*key file/);
      assert.equal(runner.calls.length, 0);
      await opened.store.set("k", "v");
      assert.equal(await opened.store.get("k"), "v");
      assert.equal((Deno.statSync(`${home}/secret.key`).mode! & 0o777).toString(8), "600");
    },
  );
});

Deno.test("select: =keyring that does not work is an exit-2 error, not a fallback", async () => {
  await withHome({ ENTRA_AUTH_CLI_SECRET_STORE: "keyring" }, missing, async ({ deps, home }) => {
    await assert.rejects(selectSecretStore(deps), (err) => {
      assert.ok(err instanceof SecretStoreError);
      assert.equal(err.code, "STORE_UNAVAILABLE");
      assert.equal(exitCodeFor(err), 2);
      assert.match(
        err.message,
        /ENTRA_AUTH_CLI_SECRET_STORE=keyring.*secret-tool is not installed/,
      );
      assert.ok(err.hints.some((h) => /ENTRA_AUTH_CLI_SECRET_STORE/.test(h)));
      return true;
    });
    assert.throws(() => Deno.statSync(home), Deno.errors.NotFound, "no files were created");
  });
});

Deno.test("select: =keyring that works", async () => {
  const vars = { ENTRA_AUTH_CLI_SECRET_STORE: "Keyring" };
  await withHome(vars, fakeSecretTool(), async ({ deps }) => {
    const opened = await selectSecretStore(deps);
    assert.equal(opened.backend, "keyring");
    assert.equal(opened.warning, undefined);
  });
});

Deno.test("select: passphrase fallback is silent", async () => {
  const vars = { ENTRA_AUTH_CLI_PASSPHRASE: "correct horse" };
  await withHome(vars, missing, async ({ deps, home }) => {
    const opened = await selectSecretStore(deps);
    assert.equal(opened.backend, "file");
    assert.equal(opened.warning, undefined);
    assert.match(opened.store.description, /ENTRA_AUTH_CLI_PASSPHRASE/);
    assert.throws(() => Deno.statSync(`${home}/secret.key`), Deno.errors.NotFound);
  });
});

Deno.test("select: a probe that times out falls back to the key file with the warning", async () => {
  await withHome({}, hangs, async ({ deps, runner, home }) => {
    const started = Date.now();
    const opened = await selectSecretStore(deps);
    assert.ok(Date.now() - started < 1_000, "bounded by the probe budget");
    assert.equal(opened.backend, "file");
    assert.ok(opened.warning?.includes(`${home}/secret.key`));
    assert.equal(opened.warning?.split("\n").length, 1);
    assert.equal(runner.calls.length, 1, "the deadline stops the round trip early");
  });
});

Deno.test("select: no OS store on this platform falls back without running anything", async () => {
  await withHome({}, missing, async ({ deps, runner }) => {
    const opened = await selectSecretStore({ ...deps, os: "netbsd" });
    assert.equal(opened.backend, "file");
    assert.ok(opened.warning);
    assert.equal(runner.calls.length, 0);
  });
});

Deno.test("select: a working OS store holds secrets and the data key", async () => {
  const items = new Map<string, string>();
  await withHome({}, fakeSecretTool(items), async ({ deps, home }) => {
    const opened = await selectSecretStore(deps);
    assert.equal(opened.backend, "keyring");
    assert.equal(opened.warning, undefined);
    assert.match(opened.store.description, /Linux Secret Service/);
    await opened.store.set("profile/ci/client-secret", "s");
    assert.equal(items.get("profile/ci/client-secret"), "s");

    const cache = await opened.openEncryptedFile("token-cache.enc");
    assert.match(cache.description, /token-cache\.enc.*data key in Linux Secret Service/);
    await cache.set("big", "x".repeat(100_000));
    const dataKey = items.get(DATA_KEY_NAME);
    assert.equal(atob(dataKey!).length, 32);

    // A later run finds the same key and can read the file.
    const again = await selectSecretStore(deps);
    const reopened = await again.openEncryptedFile("token-cache.enc");
    assert.equal((await reopened.get("big"))?.length, 100_000);
    assert.equal(items.get(DATA_KEY_NAME), dataKey);
    assert.throws(() => Deno.statSync(`${home}/secret.key`), Deno.errors.NotFound);
  });
});

Deno.test("select: a damaged data key is reported and left alone", async () => {
  const items = new Map([[DATA_KEY_NAME, "not a key"]]);
  await withHome({}, fakeSecretTool(items), async ({ deps }) => {
    const opened = await selectSecretStore(deps);
    await assert.rejects(opened.openEncryptedFile("token-cache.enc"), isCode("STORE_CORRUPT"));
    assert.equal(items.get(DATA_KEY_NAME), "not a key");
    await assert.rejects(opened.openEncryptedFile("../x"), isCode("STORE_BAD_FILE_NAME"));
  });
});

Deno.test("select: file mode shares its key with openEncryptedFile", async () => {
  await withHome({ ENTRA_AUTH_CLI_SECRET_STORE: "file" }, missing, async ({ deps }) => {
    const opened = await selectSecretStore(deps);
    const cache = await opened.openEncryptedFile("token-cache.enc");
    await cache.set("a", "b");
    assert.match(cache.description, /token-cache\.enc.*key file/);
    const again = await (await selectSecretStore(deps)).openEncryptedFile("token-cache.enc");
    assert.equal(await again.get("a"), "b");
  });
});

Deno.test("select: unknown ENTRA_AUTH_CLI_SECRET_STORE, empty value", async () => {
  await withHome({ ENTRA_AUTH_CLI_SECRET_STORE: "vault" }, missing, async ({ deps }) => {
    await assert.rejects(selectSecretStore(deps), isCode("STORE_UNKNOWN"));
  });
  await withHome({ ENTRA_AUTH_CLI_SECRET_STORE: " " }, missing, async ({ deps }) => {
    assert.ok((await selectSecretStore(deps)).warning, "blank means automatic");
  });
});

Deno.test("select: unsafe or damaged key files stop the run and are kept", async (t) => {
  await withHome({ ENTRA_AUTH_CLI_SECRET_STORE: "file" }, missing, async ({ deps, home }) => {
    await selectSecretStore(deps);
    const keyPath = `${home}/secret.key`;
    const original = await Deno.readTextFile(keyPath);
    await t.step("mode 0644", async () => {
      await Deno.chmod(keyPath, 0o644);
      await assert.rejects(selectSecretStore(deps), (err) => {
        return isCode("FILE_MODE_UNSAFE")(err) &&
          (err as UsageError).hints[0] === `Fix it with: chmod 600 '${keyPath}'`;
      });
      await Deno.chmod(keyPath, 0o600);
    });
    await t.step("owned by someone else", async () => {
      if (Deno.uid() !== 0) return; // only root can arrange it
      await Deno.chown(keyPath, 4242, 4242);
      await assert.rejects(selectSecretStore(deps), isCode("FILE_FOREIGN_OWNER"));
      await Deno.chown(keyPath, 0, 0);
    });
    assert.equal(await Deno.readTextFile(keyPath), original);
    await t.step("not a key", async () => {
      await Deno.writeTextFile(keyPath, "garbage\n");
      await assert.rejects(selectSecretStore(deps), isCode("KEY_FILE_INVALID"));
      assert.equal(await Deno.readTextFile(keyPath), "garbage\n");
    });
  });
});

Deno.test("select: the opener probes once per run", async () => {
  await withHome({}, fakeSecretTool(), async ({ deps, runner }) => {
    const opener = createSecretStoreOpener(deps);
    const [a, b] = await Promise.all([opener.open(), opener.open()]);
    assert.equal(a, b);
    assert.equal(runner.calls.length, 3);
  });
});
