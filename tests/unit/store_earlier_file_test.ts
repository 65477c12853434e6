import assert from "node:assert/strict";
import { withTempDir } from "../helpers/util.ts";
import { earlierFileStore, withEarlierFile } from "../../src/store/earlier_file.ts";
import { openFileStore } from "../../src/store/select.ts";
import { MemorySecretStore } from "../../src/store/memory.ts";

const withHome = withTempDir;

const env = (vars: Record<string, string> = {}) => ({ get: (n: string) => vars[n] });
const deps = (home: string) => ({
  env: env(),
  paths: { configHome: () => home },
  runner: { run: () => Promise.reject(new Error("no commands")) },
});

Deno.test("a secret saved while only the file store worked is found once the OS store works", () =>
  withHome(async (home) => {
    const { store: file } = await openFileStore(deps(home), true);
    await file.set("profile/ci/client-secret", "from-ssh-session");
    const os = new MemorySecretStore();
    const store = withEarlierFile(os, () => earlierFileStore(home, env()));
    assert.equal(await store.get("profile/ci/client-secret"), "from-ssh-session");
    // New secrets go to the OS store only; the OS store wins when both have one.
    await store.set("profile/ci/client-secret", "rotated");
    assert.equal(os.items.get("profile/ci/client-secret"), "rotated");
    assert.equal(await store.get("profile/ci/client-secret"), "rotated");
    // Deleting clears both, so the old value cannot come back.
    assert.equal(await store.delete("profile/ci/client-secret"), true);
    assert.equal(await store.get("profile/ci/client-secret"), undefined);
  }));

Deno.test("no earlier file, or an unreadable one, changes nothing and creates nothing", () =>
  withHome(async (home) => {
    const os = new MemorySecretStore();
    const store = withEarlierFile(os, () => earlierFileStore(home, env()));
    assert.equal(await store.get("x"), undefined);
    assert.deepEqual([...Deno.readDirSync(home)], []);
    await Deno.writeTextFile(`${home}/secrets.enc`, "damaged", { mode: 0o600 });
    await Deno.writeTextFile(`${home}/secret.key`, "AAAA\n", { mode: 0o600 });
    const again = withEarlierFile(os, () => earlierFileStore(home, env()));
    assert.equal(await again.get("x"), undefined);
    assert.equal(await Deno.readTextFile(`${home}/secrets.enc`), "damaged");
  }));
