import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type CertificateCredential,
  loadCertificateCredential,
  type LoadCertificateOptions,
} from "../../src/entra/certificate.ts";
import { UsageError } from "../../src/errors.ts";
import { makeCertFixtures } from "../fixtures/make_certs.ts";

const WRONG_PASSWORD = "Wr0ng-Pa55-value";

/** DER bodies of the CERTIFICATE blocks of a PEM file, in file order. */
async function pemCerts(path: string): Promise<Uint8Array[]> {
  const pem = await Deno.readTextFile(path);
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/g)]
    .map((m) => Uint8Array.fromBase64(m[1].replace(/\s/g, "")));
}

Deno.test("loadCertificateCredential", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "entra-cert-test-" });
  try {
    const f = await makeCertFixtures(dir);
    const now = Date.now();
    const [leafDer] = await pemCerts(f.certPem);
    const [caDer] = await pemCerts(f.caPem);
    const load = (o: Omit<LoadCertificateOptions, "now">) =>
      loadCertificateCredential({ now, ...o });

    // Variants the fixtures do not write directly.
    const pfxNoExtension = join(dir, "client-aes.bin");
    await Deno.copyFile(f.aesPfx, pfxNoExtension);
    const derCert = join(dir, "cert.cer");
    await Deno.writeFile(derCert, leafDer);
    const keyFirstPem = join(dir, "key-first.pem");
    const [key, ca, cert] = await Promise.all(
      [f.keyPem, f.caPem, f.certPem].map((p) => Deno.readTextFile(p)),
    );
    await Deno.writeTextFile(keyFirstPem, key + ca + cert);
    const derKey = join(dir, "key.der");
    await Deno.writeFile(derKey, Uint8Array.fromBase64(key.replace(/-----[A-Z ]+-----|\s/g, "")));
    // An encrypted key beside the certificate is ignored (not decrypted) when a key file is given.
    const certWithEncryptedKey = join(dir, "cert-encrypted-key.pem");
    await Deno.writeTextFile(
      certWithEncryptedKey,
      cert + await Deno.readTextFile(f.encryptedKeyPem),
    );

    const rsaForms: [string, Omit<LoadCertificateOptions, "now">, number][] = [
      ["PEM cert + PKCS#8 key", { certificatePath: f.certPem, privateKeyPath: f.keyPem }, 1],
      ["PEM cert + PKCS#1 key", { certificatePath: f.certPem, privateKeyPath: f.keyPkcs1Pem }, 1],
      ["PEM cert + encrypted PKCS#8 key", {
        certificatePath: f.certPem,
        privateKeyPath: f.encryptedKeyPem,
        password: f.password,
      }, 1],
      ["PEM cert + encrypted PKCS#1 key", {
        certificatePath: f.certPem,
        privateKeyPath: f.encryptedPkcs1Pem,
        password: f.password,
      }, 1],
      ["DER cert + PEM key", { certificatePath: derCert, privateKeyPath: f.keyPem }, 1],
      ["PEM cert + DER PKCS#8 key", { certificatePath: f.certPem, privateKeyPath: derKey }, 1],
      ["key file overrides an encrypted key beside the cert", {
        certificatePath: certWithEncryptedKey,
        privateKeyPath: f.keyPem,
      }, 1],
      ["PFX + separate key file", { certificatePath: f.noPassPfx, privateKeyPath: f.keyPem }, 2],
      ["combined PEM (cert, chain, key)", { certificatePath: f.combinedPem }, 2],
      ["combined PEM, key and CA before the leaf", { certificatePath: keyFirstPem }, 2],
      ["PFX AES-256 (OpenSSL 3 default)", { certificatePath: f.aesPfx, password: f.password }, 2],
      ["PFX 3DES", { certificatePath: f.tripleDesPfx, password: f.password }, 2],
      ["PFX legacy RC2-40", { certificatePath: f.legacyRc2Pfx, password: f.password }, 2],
      ["PFX empty password, none given", { certificatePath: f.noPassPfx }, 2],
      ["PFX empty password, given", { certificatePath: f.noPassPfx, password: "" }, 2],
      ["PFX unencrypted bags", { certificatePath: f.plainBagsPfx }, 2],
      ["PFX detected by content", { certificatePath: pfxNoExtension, password: f.password }, 2],
    ];
    await t.step("loads each RSA form with openssl's thumbprints", async (t) => {
      for (const [name, opts, chainLength] of rsaForms) {
        await t.step(name, async () => {
          const cred = await load(opts);
          assertLeaf(cred, f);
          assert.deepEqual(cred.certDer, leafDer);
          assert.equal(cred.chainDer.length, chainLength);
          assert.deepEqual(cred.chainDer[0], leafDer);
          if (chainLength === 2) assert.deepEqual(cred.chainDer[1], caDer);
        });
      }
    });

    await t.step("keeps the exact DER of an ECDSA-issued RSA certificate in a PFX", async () => {
      const cred = await load({ certificatePath: f.ecIssuedPfx, password: f.password });
      assert.deepEqual(cred.certDer, (await pemCerts(f.ecIssuedPem))[0]);
    });

    await t.step("reads names and validity", async () => {
      const cred = await load({ certificatePath: f.combinedPem });
      assert.equal(cred.subject, "CN=entra-auth-cli test app, O=entra-auth-cli fixtures");
      assert.equal(cred.issuer, "CN=entra-auth-cli fixture CA");
      assert.ok(cred.notBefore.getTime() <= now && now < cred.notAfter.getTime());
      assert.deepEqual(cred.warnings, []);
    });

    await t.step(
      "warns, without failing, when the certificate expires within 30 days",
      async () => {
        const cred = await load({ certificatePath: f.expiringSoonPem });
        assert.equal(cred.warnings.length, 1);
        assert.ok(cred.warnings[0].includes(f.expiringSoonNotAfter.toISOString().slice(0, 10)));
      },
    );

    const missing = join(dir, "missing.pem");
    const junkPfx = join(dir, "junk.pfx");
    await Deno.writeFile(junkPfx, crypto.getRandomValues(new Uint8Array(64)));
    const junk = join(dir, "junk.bin");
    await Deno.writeFile(junk, new TextEncoder().encode("just some text\n"));
    const errorCases: [string, Omit<LoadCertificateOptions, "now">, string][] = [
      ["missing certificate file", { certificatePath: missing }, "CERT_NOT_FOUND"],
      [
        "missing key file",
        { certificatePath: f.certPem, privateKeyPath: missing },
        "CERT_NOT_FOUND",
      ],
      ["directory instead of a file", { certificatePath: dir }, "CERT_UNREADABLE"],
      ["PEM block that is not a certificate", {
        certificatePath: f.garbagePem,
        privateKeyPath: f.keyPem,
      }, "CERT_INVALID"],
      [
        "random bytes named .pfx",
        { certificatePath: junkPfx, password: WRONG_PASSWORD },
        "CERT_INVALID",
      ],
      ["text that is no PEM", { certificatePath: junk }, "CERT_INVALID"],
      ["key file without a certificate", { certificatePath: f.keyPem }, "CERT_INVALID"],
      ["PEM cert alone", { certificatePath: f.certPem }, "CERT_KEY_MISSING"],
      ["key file without a key", {
        certificatePath: f.certPem,
        privateKeyPath: f.caPem,
      }, "CERT_KEY_MISSING"],
      ["unrelated key", {
        certificatePath: f.certPem,
        privateKeyPath: f.otherKeyPem,
      }, "CERT_KEY_MISMATCH"],
      ["PFX without password", { certificatePath: f.aesPfx }, "CERT_PASSWORD_REQUIRED"],
      ["encrypted key without password", {
        certificatePath: f.certPem,
        privateKeyPath: f.encryptedKeyPem,
      }, "CERT_PASSWORD_REQUIRED"],
      ...[f.aesPfx, f.tripleDesPfx, f.legacyRc2Pfx].map((
        pfx,
      ): [string, Omit<LoadCertificateOptions, "now">, string] => [
        `wrong password for ${pfx.split("/").pop()}`,
        { certificatePath: pfx, password: WRONG_PASSWORD },
        "CERT_PASSWORD_WRONG",
      ]),
      ...[f.encryptedKeyPem, f.encryptedPkcs1Pem].map((
        keyPath,
      ): [string, Omit<LoadCertificateOptions, "now">, string] => [
        `wrong password for ${keyPath.split("/").pop()}`,
        { certificatePath: f.certPem, privateKeyPath: keyPath, password: WRONG_PASSWORD },
        "CERT_PASSWORD_WRONG",
      ]),
      ["EC PFX", { certificatePath: f.ecPfx, password: f.password }, "CERT_NOT_RSA"],
      ["EC PEM", { certificatePath: f.ecCertPem, privateKeyPath: f.ecKeyPem }, "CERT_NOT_RSA"],
      ["EC cert, RSA key", {
        certificatePath: f.ecCertPem,
        privateKeyPath: f.keyPem,
      }, "CERT_NOT_RSA"],
      ["expired", { certificatePath: f.expiredPem }, "CERT_EXPIRED"],
      ["not yet valid", { certificatePath: f.notYetPem }, "CERT_NOT_YET_VALID"],
    ];
    await t.step("rejects bad input with its own code", async (t) => {
      for (const [name, opts, code] of errorCases) {
        await t.step(name, async () => {
          await assertCertError(load(opts), code, opts.password);
        });
      }
    });

    await t.step("reads plain PEM without node-forge (no npm at all)", async () => {
      // The cost of loading node-forge is for PFX files and encrypted keys only.
      const module = new URL("../../src/entra/certificate.ts", import.meta.url).href;
      const code = `const { loadCertificateCredential: load } = await import(${
        JSON.stringify(module)
      });
        const cred = await load({ certificatePath: ${
        JSON.stringify(f.combinedPem)
      }, now: Date.now() });
        await Deno.stdout.write(new TextEncoder().encode(cred.x5t));`;
      const config = new URL("../../deno.json", import.meta.url).pathname;
      const args = ["eval", "--no-npm", "--config", config, code];
      const out = await new Deno.Command(Deno.execPath(), { args, stdin: "null" }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      const cred = await load({ certificatePath: f.combinedPem });
      assert.equal(new TextDecoder().decode(out.stdout), cred.x5t);
    });

    await t.step("judges validity by the injected clock", async () => {
      const cred = await load({ certificatePath: f.combinedPem });
      const at = (ms: number) =>
        loadCertificateCredential({ certificatePath: f.combinedPem, now: ms });
      await assertCertError(at(cred.notAfter.getTime() + 1), "CERT_EXPIRED");
      await assertCertError(at(cred.notBefore.getTime() - 1), "CERT_NOT_YET_VALID");
      const soon = await at(cred.notAfter.getTime() - 5 * 86_400_000);
      assert.equal(soon.warnings.length, 1);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function assertLeaf(
  cred: CertificateCredential,
  f: { sha1Thumbprint: string; sha256Thumbprint: string },
) {
  assert.equal(cred.sha1Thumbprint, f.sha1Thumbprint);
  assert.equal(cred.sha256Thumbprint, f.sha256Thumbprint);
  const b64url = { alphabet: "base64url", omitPadding: true } as const;
  assert.equal(cred.x5t, Uint8Array.fromHex(f.sha1Thumbprint).toBase64(b64url));
  assert.equal(cred.x5tS256, Uint8Array.fromHex(f.sha256Thumbprint).toBase64(b64url));
  assert.ok(cred.privateKey);
  assert.deepEqual(cred.warnings, []);
}

async function assertCertError(promise: Promise<unknown>, code: string, password?: string) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof UsageError, `expected UsageError, got ${err}`);
    assert.equal(err.code, code);
    assert.ok(!err.message.includes("\n"), "message is one line");
    if (password) assert.ok(!err.message.includes(password), "message leaks the password");
    return true;
  });
}
