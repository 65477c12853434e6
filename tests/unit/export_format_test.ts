/** The export document's sealing: round trip, wrong passphrase, tampering of each part. */
import assert from "node:assert/strict";
import { UsageError } from "../../src/errors.ts";
import {
  type ExportDocument,
  exportDocument,
  openSecrets,
  parseExportDocument,
  sealSecrets,
} from "../../src/profile/export_format.ts";
import type { Profile } from "../../src/profile/profile.ts";
import { fromB64, toB64 } from "../../src/store/encrypted_file.ts";

const profile: Profile = {
  name: "ci",
  tenantId: "7e57c0de-0000-4000-8000-000000000001",
  clientId: "c1e47000-0000-4000-8000-00000000c0de",
  authMethod: "secret",
  scopes: ["https://management.azure.com/.default"],
  defaultFlow: "ClientCredentials",
};
const secrets = { clientSecret: "s3cret~value.Ab", certificatePassword: "pfx-pass" };
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const code = (c: string) => (err: unknown) => err instanceof UsageError && err.code === c;

/** Sealed once (600k PBKDF2 iterations are slow on purpose); each step copies it. */
const sealed = await sealSecrets(
  exportDocument(profile, new Date("2026-01-01T00:00:00Z")),
  secrets,
  "correct horse battery",
  random,
);
const text = JSON.stringify(sealed);
const copy = (): ExportDocument => JSON.parse(text);
const open = (doc: ExportDocument, pass = "correct horse battery") =>
  openSecrets(parseExportDocument(JSON.stringify(doc), "f.json"), pass, "f.json");

Deno.test("export sealing", async (t) => {
  await t.step("round trip; the document carries no secret in clear", async () => {
    assert.deepEqual(await open(copy()), secrets);
    assert.ok(!text.includes(secrets.clientSecret) && !text.includes(secrets.certificatePassword));
    assert.equal(sealed.secrets?.kdf.iterations, 600_000);
    assert.equal(fromB64(sealed.secrets!.kdf.salt).length, 16);
    assert.equal(fromB64(sealed.secrets!.iv).length, 12);
    assert.notEqual(sealed.secrets!.iv, sealed.secrets!.check.iv);
  });

  await t.step("key order and whitespace do not matter (canonical additional data)", async () => {
    const doc = copy() as unknown as Record<string, Record<string, unknown>>;
    const reverse = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    const reordered = reverse({ ...doc, profile: reverse(doc.profile) });
    assert.notEqual(Object.keys(reordered)[0], "format");
    const pretty = JSON.parse(JSON.stringify(reordered, null, 4));
    assert.deepEqual(await open(pretty), secrets);
  });

  await t.step("a wrong passphrase says so", async () => {
    await assert.rejects(open(copy(), "wrong horse"), code("EXPORT_PASSPHRASE_WRONG"));
  });

  await t.step("a flipped ciphertext byte is tampering", async () => {
    const doc = copy();
    const bytes = fromB64(doc.secrets!.data);
    bytes[3] ^= 0x01;
    doc.secrets!.data = toB64(bytes);
    await assert.rejects(open(doc), code("EXPORT_TAMPERED"));
  });

  await t.step("changed metadata is tampering: profile fields, date, added fields", async () => {
    const changes: ((d: ExportDocument) => void)[] = [
      (d) => d.profile.clientId = "00000000-0000-4000-8000-000000000000",
      (d) => d.profile.scopes = ["https://graph.microsoft.com/.default"],
      (d) => d.profile.redirectUri = "http://localhost:9999",
      (d) => d.exportedAt = "2027-01-01T00:00:00.000Z",
      (d) => (d as unknown as Record<string, unknown>).note = "hi",
    ];
    for (const change of changes) {
      const doc = copy();
      change(doc);
      await assert.rejects(open(doc), code("EXPORT_TAMPERED"), change.toString());
    }
  });

  await t.step("a weaker or absurd KDF is refused before any work", () => {
    for (const iterations of [1000, 599_999, 1e9, 1.5]) {
      const doc = copy();
      doc.secrets!.kdf.iterations = iterations;
      assert.throws(
        () => parseExportDocument(JSON.stringify(doc), "f.json"),
        code("EXPORT_INVALID"),
      );
    }
  });

  await t.step("not an export, another version, a bad profile: EXPORT_INVALID", () => {
    const bad = [
      "not json",
      "[]",
      JSON.stringify({ ...copy(), format: "something-else" }),
      JSON.stringify({ ...copy(), version: 2 }),
      JSON.stringify({ ...copy(), profile: { ...profile, authMethod: "magic" } }),
      JSON.stringify({ ...copy(), secrets: { ...copy().secrets, iv: 42 } }),
    ];
    for (const doc of bad) {
      assert.throws(() => parseExportDocument(doc, "f.json"), code("EXPORT_INVALID"), doc);
    }
  });

  await t.step("without secrets the document is plain settings", () => {
    const doc = exportDocument(profile, new Date(0));
    assert.deepEqual(Object.keys(doc), ["format", "version", "exportedAt", "profile"]);
    assert.deepEqual(parseExportDocument(JSON.stringify(doc), "f").profile, profile);
  });
});
