/**
 * PKCS#12 (PFX/P12) files and encrypted PEM keys, through node-forge.
 *
 * Web Crypto cannot do the legacy PKCS#12 ciphers (3DES, RC2-40) that Windows
 * and `openssl -legacy` exports still use, so node-forge does the decryption
 * here. It is imported on first use only, so commands that never read such a
 * file (a cached token, a client secret) do not pay for loading it.
 */
// @ts-types="@types/node-forge"
import type * as Forge from "node-forge";
import { UsageError } from "../errors.ts";

/** What a PFX holds: PKCS#8 DER keys and X.509 DER certificates, in file order. */
export interface PfxContents {
  keys: Uint8Array<ArrayBuffer>[];
  certs: Uint8Array<ArrayBuffer>[];
}

const PASSWORD_HINTS = [
  "pass the password with --certificate-password-stdin or AZURE_CLIENT_CERTIFICATE_PASSWORD",
];

let forgePromise: Promise<typeof Forge> | undefined;

/** Loads node-forge once; it is CommonJS, so the API sits on `default`. */
function loadForge(): Promise<typeof Forge> {
  forgePromise ??= import("node-forge").then((mod) =>
    ((mod as { default?: typeof Forge }).default ?? mod) as typeof Forge
  );
  return forgePromise;
}

/**
 * Reads a PFX. Without a password it tries the empty password, which
 * `openssl pkcs12 -passout pass:` and Key Vault downloads use.
 */
export async function readPfx(
  bytes: Uint8Array<ArrayBuffer>,
  opts: { file: string; password?: string },
): Promise<PfxContents> {
  const forge = await loadForge();
  let asn1: Forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(toBinary(bytes), false);
  } catch (cause) {
    throw invalid(opts.file, cause);
  }
  // PKCS#12 allows two encodings of the empty password (zero-length, or one
  // BMP NUL) and writers differ, so an empty password is tried both ways.
  const candidates = opts.password ? [opts.password] : ["", undefined];
  let lastError: unknown;
  for (const password of candidates) {
    try {
      return pfxContents(forge, forge.pkcs12.pkcs12FromAsn1(asn1, false, password as string));
    } catch (err) {
      if (!isPasswordError(err)) throw invalid(opts.file, err);
      lastError = err;
    }
  }
  throw passwordError(opts.file, opts.password, lastError);
}

/**
 * Decrypts an `ENCRYPTED PRIVATE KEY` (PKCS#8, PBES2 or PKCS#12 PBE) or a
 * traditional `Proc-Type: 4,ENCRYPTED` RSA PEM block into PKCS#8 DER.
 */
export async function decryptPemKey(
  pem: string,
  opts: { file: string; password?: string },
): Promise<Uint8Array<ArrayBuffer>> {
  if (!opts.password) throw passwordError(opts.file, undefined);
  const forge = await loadForge();
  let info: Forge.asn1.Asn1 | null;
  try {
    if (pem.includes("BEGIN ENCRYPTED PRIVATE KEY")) {
      const encrypted = forge.pki.encryptedPrivateKeyFromPem(pem);
      info = forge.pki.decryptPrivateKeyInfo(encrypted, opts.password);
    } else {
      const key = forge.pki.decryptRsaPrivateKey(pem, opts.password);
      info = key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)) : null;
    }
  } catch (cause) {
    // With a wrong password, CBC padding sometimes checks out by chance and
    // the "plaintext" then fails to parse: that is a wrong password too.
    throw passwordError(opts.file, opts.password, cause);
  }
  if (!info) throw passwordError(opts.file, opts.password);
  return fromBinary(forge.asn1.toDer(info).getBytes());
}

function pfxContents(forge: typeof Forge, p12: Forge.pkcs12.Pkcs12Pfx): PfxContents {
  const oids = forge.pki.oids;
  const keys: Uint8Array<ArrayBuffer>[] = [];
  const certs: Uint8Array<ArrayBuffer>[] = [];
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      // forge models RSA only: other keys and certificates come back as raw ASN.1.
      const raw = (bag as { asn1?: Forge.asn1.Asn1 }).asn1;
      if (bag.type === oids.keyBag || bag.type === oids.pkcs8ShroudedKeyBag) {
        const info = bag.key
          ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
          : raw;
        if (info) keys.push(fromBinary(forge.asn1.toDer(info).getBytes()));
      } else if (bag.type === oids.certBag) {
        const asn1 = bag.cert ? originalCertificate(forge, bag.cert) : raw;
        if (asn1) certs.push(fromBinary(forge.asn1.toDer(asn1).getBytes()));
      }
    }
  }
  return { keys, certs };
}

/**
 * Rebuilds a certificate from the parts forge kept as parsed. The thumbprints
 * Entra matches are hashes of the exact DER, and forge's own
 * `certificateToAsn1` regenerates the signature algorithm (adding a NULL for
 * ECDSA signatures, for one), so the algorithm is copied from the TBS
 * certificate, where RFC 5280 §4.1.1.2 requires the same value.
 */
function originalCertificate(forge: typeof Forge, cert: Forge.pki.Certificate): Forge.asn1.Asn1 {
  const { asn1 } = forge;
  const tbs = (cert as { tbsCertificate?: Forge.asn1.Asn1 }).tbsCertificate;
  if (!tbs) return forge.pki.certificateToAsn1(cert);
  const fields = tbs.value as Forge.asn1.Asn1[];
  const signatureAlgorithm = fields[fields[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 2 : 1];
  const signature = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.BITSTRING,
    false,
    "\x00" + cert.signature,
  );
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    signatureAlgorithm,
    signature,
  ]);
}

function isPasswordError(err: unknown): boolean {
  // forge reports these as plain Errors; the texts are from forge's pkcs12.js.
  return err instanceof Error &&
    /MAC could not be verified|wrong password|decrypt/i.test(err.message);
}

function passwordError(file: string, password: string | undefined, cause?: unknown): UsageError {
  if (password) {
    return new UsageError("CERT_PASSWORD_WRONG", `wrong password for ${file}`, {
      cause,
      hints: ["check the certificate password stored in the profile or the environment"],
    });
  }
  return new UsageError("CERT_PASSWORD_REQUIRED", `${file} needs a password`, {
    cause,
    hints: PASSWORD_HINTS,
  });
}

function invalid(file: string, cause: unknown): UsageError {
  return new UsageError("CERT_INVALID", `${file} is not a valid PFX/P12 file`, { cause });
}

/** forge works on "binary strings": one char per byte. */
function toBinary(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return out;
}

function fromBinary(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
