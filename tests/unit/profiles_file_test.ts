import assert from "node:assert/strict";
import { parseProfiles, ProfilesFile } from "../../src/profile/profiles_file.ts";
import { UsageError } from "../../src/errors.ts";

const ok = { name: "ci", tenantId: "t", clientId: "c", authMethod: "secret", scopes: [] };

Deno.test("parseProfiles validates every profile", async (t) => {
  const bad: [string, string][] = [
    ["not json", "{"],
    ["no array", "{}"],
    ["bad authMethod", JSON.stringify({ profiles: [{ ...ok, authMethod: "xor" }] })],
    ["bad name", JSON.stringify({ profiles: [{ ...ok, name: "../x" }] })],
    ["duplicate", JSON.stringify({ profiles: [ok, ok] })],
    ["future version", JSON.stringify({ version: 9, profiles: [] })],
    [
      "certificate without path",
      JSON.stringify({ profiles: [{ ...ok, authMethod: "certificate" }] }),
    ],
  ];
  for (const [label, text] of bad) {
    await t.step(label, () => {
      assert.throws(
        () => parseProfiles(text, "p.json"),
        (e) => e instanceof UsageError && e.code === "PROFILES_INVALID",
      );
    });
  }
  assert.equal(parseProfiles(JSON.stringify({ version: 1, profiles: [ok] }), "p").length, 1);
  assert.equal(parseProfiles(JSON.stringify([ok]), "p")[0].name, "ci");
  const seedShape = {
    name: "cert",
    clientId: "c",
    tenantId: "t",
    certificatePath: "/c.pfx",
    useCertificate: true,
  };
  assert.equal(parseProfiles(JSON.stringify([seedShape]), "p")[0].authMethod, "certificate");
});

Deno.test("a damaged file is left byte-for-byte unchanged by update", async () => {
  const home = await Deno.makeTempDir();
  try {
    const damaged = '{"profiles": [ {"name": "x"';
    await Deno.writeTextFile(`${home}/profiles.json`, damaged);
    const file = new ProfilesFile(home);
    await assert.rejects(file.update((p) => void p.push(ok as never)), UsageError);
    assert.equal(await Deno.readTextFile(`${home}/profiles.json`), damaged);
    assert.deepEqual([...Deno.readDirSync(home)].map((e) => e.name), ["profiles.json"]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("update writes 0600 files in a 0700 home", async () => {
  const base = await Deno.makeTempDir();
  const home = `${base}/h`;
  try {
    await new ProfilesFile(home).update((p) => void p.push(ok as never));
    assert.equal((await Deno.stat(home)).mode! & 0o777, 0o700);
    assert.equal((await Deno.stat(`${home}/profiles.json`)).mode! & 0o777, 0o600);
    assert.equal((await new ProfilesFile(home).load())[0].name, "ci");
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
