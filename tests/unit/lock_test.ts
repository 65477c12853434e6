import assert from "node:assert/strict";
import { withFileLock } from "../../src/platform/lock.ts";
import { EncryptedFileStore } from "../../src/store/encrypted_file.ts";

Deno.test("parallel read-modify-write under the lock loses no update", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const key = { kind: "raw" as const, key: new Uint8Array(32).fill(3), label: "test" };
    // Separate store objects, as separate processes would have.
    await Promise.all(
      Array.from(
        { length: 40 },
        (_, i) => new EncryptedFileStore(`${dir}/s.enc`, key).set(`k${i}`, `v${i}`),
      ),
    );
    const store = new EncryptedFileStore(`${dir}/s.enc`, key);
    for (let i = 0; i < 40; i++) assert.equal(await store.get(`k${i}`), `v${i}`, `k${i}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a plain counter file stays exact under parallel locked increments", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/n`;
    await Deno.writeTextFile(path, "0");
    await Promise.all(Array.from({ length: 60 }, () =>
      withFileLock(path, async () => {
        const n = Number(await Deno.readTextFile(path));
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        await Deno.writeTextFile(path, String(n + 1));
      })));
    assert.equal(await Deno.readTextFile(path), "60");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lock whose owner is gone is taken over at once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/x.lock`, `${2 ** 22 + 1} ${Date.now()}\n`);
    const started = Date.now();
    await withFileLock(`${dir}/x`, () => Promise.resolve(), { timeoutMs: 5000 });
    assert.ok(Date.now() - started < 1000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a live owner keeps its lock past the stale age; waiters time out instead", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/x.lock`, `${Deno.pid} ${Date.now()}\n`);
    await assert.rejects(
      withFileLock(`${dir}/x`, () => Promise.resolve(), { timeoutMs: 300, staleMs: 1 }),
      (e) => e instanceof Error && (e as { code?: string }).code === "LOCK_TIMEOUT",
    );
    assert.ok(await Deno.stat(`${dir}/x.lock`), "the live owner's lock is still there");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
