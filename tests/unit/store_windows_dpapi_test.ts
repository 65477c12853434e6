import { strict as assert } from "node:assert";
import { SecretStoreError, UsageError } from "../../src/errors.ts";
import { fromB64, toB64 } from "../../src/store/encrypted_file.ts";
import {
  fileNameFor,
  PROTECT_SCRIPT,
  UNPROTECT_SCRIPT,
  WindowsDpapiStore,
} from "../../src/store/windows_dpapi.ts";
import { FakeCommandRunner, type FakeHandler } from "../helpers/fake_runner.ts";

const SECRET = "client-secret~value\nü";
const MAGIC = "DPAPI:";

/** A PowerShell stand-in: "protects" by prefixing MAGIC, refuses blobs without it. */
const fakePowershell: FakeHandler = (call) => {
  const input = new TextDecoder().decode(fromB64((call.stdin ?? "").trim()));
  const script = call.args.at(-1);
  if (script === PROTECT_SCRIPT) return { stdout: toB64(new TextEncoder().encode(MAGIC + input)) };
  if (!input.startsWith(MAGIC)) {
    return { code: 1, stderr: 'Exception calling "Unprotect": CryptographicException' };
  }
  return { stdout: toB64(new TextEncoder().encode(input.slice(MAGIC.length))) };
};

async function withStore(
  fn: (store: WindowsDpapiStore, runner: FakeCommandRunner, dir: string) => Promise<void>,
): Promise<void> {
  const home = await Deno.makeTempDir();
  const runner = new FakeCommandRunner(fakePowershell);
  try {
    await fn(new WindowsDpapiStore(`${home}/dpapi`, { runner }), runner, `${home}/dpapi`);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

function isCode(code: string) {
  return (err: unknown) => err instanceof UsageError && err.code === code;
}

Deno.test("windows dpapi: round trip with the secret on stdin, never in argv", async () => {
  await withStore(async (store, runner, dir) => {
    await store.set("profile/ci/client-secret", SECRET);
    const protect = runner.calls[0];
    assert.equal(protect.cmd, "powershell.exe");
    assert.deepEqual(protect.args, [
      "-NoLogo",
      "-NoProfile",
      "-NonInteractive",
      "-Command",
      PROTECT_SCRIPT,
    ]);
    assert.equal(protect.stdin, toB64(new TextEncoder().encode(SECRET)));
    assert.ok(!runner.allArgs().some((a) => a.includes("client-secret~")));
    assert.ok(!PROTECT_SCRIPT.includes('"'), "double quotes would break Windows argv quoting");

    const path = `${dir}/profile_2fci_2fclient-secret.dpapi`;
    const file = JSON.parse(await Deno.readTextFile(path));
    assert.equal(file.version, 1);
    assert.equal(file.scope, "CurrentUser");
    assert.equal((Deno.statSync(path).mode! & 0o777).toString(8), "600");

    assert.equal(await store.get("profile/ci/client-secret"), SECRET);
    assert.equal(runner.calls[1].args.at(-1), UNPROTECT_SCRIPT);
    assert.equal(runner.calls[1].stdin, file.blob);
  });
});

Deno.test("windows dpapi: missing, delete, empty value", async () => {
  await withStore(async (store, runner) => {
    assert.equal(await store.get("nope"), undefined);
    assert.equal(await store.delete("nope"), false);
    assert.equal(runner.calls.length, 0);
    await store.set("k", "");
    assert.equal(await store.get("k"), "");
    assert.equal(await store.delete("k"), true);
    assert.equal(await store.get("k"), undefined);
  });
});

Deno.test("windows dpapi: damaged or foreign files are refused and kept", async (t) => {
  await withStore(async (store, _runner, dir) => {
    await store.set("k", SECRET);
    const path = store.pathFor("k");
    await t.step("not JSON", async () => {
      await Deno.writeTextFile(path, "garbage");
      await assert.rejects(store.get("k"), isCode("STORE_CORRUPT"));
      assert.equal(await Deno.readTextFile(path), "garbage");
    });
    await t.step("blob DPAPI cannot decrypt", async () => {
      const blob = toB64(new TextEncoder().encode("other user"));
      await Deno.writeTextFile(path, JSON.stringify({ version: 1, scope: "CurrentUser", blob }));
      await assert.rejects(store.get("k"), isCode("STORE_CORRUPT"));
      assert.ok(Deno.statSync(path).isFile);
    });
    await t.step("readable by others (POSIX only)", async () => {
      if (Deno.build.os === "windows") return;
      await Deno.chmod(path, 0o644);
      await assert.rejects(store.get("k"), (err) => {
        return isCode("FILE_MODE_UNSAFE")(err) && /chmod 600/.test((err as UsageError).hints[0]);
      });
    });
    await t.step("owned by another user (needs root to arrange)", async () => {
      if (Deno.build.os === "windows" || Deno.uid() !== 0) return;
      await Deno.chmod(path, 0o600);
      await Deno.chown(path, 4242, 4242);
      await assert.rejects(store.get("k"), isCode("FILE_FOREIGN_OWNER"));
    });
    assert.ok(Deno.statSync(path).isFile, "nothing was deleted");
    assert.ok(Deno.statSync(dir).isDirectory);
  });
});

Deno.test("windows dpapi: powershell missing or slow", async () => {
  const home = await Deno.makeTempDir();
  try {
    for (
      const [response, code] of [[{ notFound: true }, "STORE_UNAVAILABLE"], [
        { timeout: true },
        "STORE_TIMEOUT",
      ]] as const
    ) {
      const runner = new FakeCommandRunner().respond(response);
      const store = new WindowsDpapiStore(home, { runner });
      await assert.rejects(
        store.set("k", "v"),
        (err) => err instanceof SecretStoreError && err.code === code,
      );
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("windows dpapi: file names survive case-insensitive file systems", () => {
  assert.equal(fileNameFor("profile/ci/client-secret"), "profile_2fci_2fclient-secret.dpapi");
  assert.notEqual(fileNameFor("Profile"), fileNameFor("profile"));
  assert.equal(fileNameFor("a_b"), "a_5fb.dpapi");
});
