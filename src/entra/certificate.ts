/**
 * Loads a certificate credential (GitHub issue #3): PEM (certificate and key in
 * one file or two; PKCS#8, PKCS#1 or encrypted keys), DER certificates and
 * PFX/P12. Everything is checked up front (key type, key match, validity) so a
 * bad file fails here with a clear message instead of as an AADSTS error later.
 */
import { UsageError } from "../errors.ts";
import { decryptPemKey, readPfx } from "./pfx.ts";
import { derShape } from "./der.ts";
import {
  type CertInfo,
  orderChain,
  parseCertificate,
  parsePkcs8,
  pkcs1ToPkcs8,
  RSA_OID,
  sameRsaKey,
  thumbprints,
} from "./x509.ts";

/** A certificate and its RSA private key, ready to sign client assertions. */
export interface CertificateCredential {
  certDer: Uint8Array<ArrayBuffer>;
  /** Leaf first; includes the leaf. */
  chainDer: Uint8Array<ArrayBuffer>[];
  /** The key imported for RSA-PSS (PS256); a Web Crypto key serves one algorithm only. */
  privateKey: CryptoKey | undefined;
  /** The RSA private key as PKCS#8 DER, for importing under another algorithm. */
  pkcs8: Uint8Array<ArrayBuffer>;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-1 of the DER, upper-case hex: the "thumbprint" the Entra portal shows. */
  sha1Thumbprint: string;
  sha256Thumbprint: string;
  /** base64url SHA-1 / SHA-256 of the DER, for the JWT `x5t` / `x5t#S256` headers. */
  x5t: string;
  x5tS256: string;
  /** One-line notes for stderr, such as an upcoming expiry. */
  warnings: string[];
}

/** Where the credential comes from; `now` is epoch milliseconds. */
export interface LoadCertificateOptions {
  certificatePath: string;
  privateKeyPath?: string;
  password?: string;
  now: number;
}

const DAY_MS = 86_400_000;
const EXPIRY_WARNING_DAYS = 30;

/** Reads, decrypts and checks a certificate credential; throws UsageError `CERT_*`. */
export async function loadCertificateCredential(
  opts: LoadCertificateOptions,
): Promise<CertificateCredential> {
  const file = opts.certificatePath;
  // With a separate key file, keys in the certificate file are not even decrypted.
  const found = await readCredentialFile(file, opts.password, !opts.privateKeyPath);
  if (opts.privateKeyPath) {
    found.keys = (await readCredentialFile(opts.privateKeyPath, opts.password, true)).keys;
  }
  const keyFile = opts.privateKeyPath ?? file;
  const { pkcs8, leaf, certs } = matchKeyToCertificate(found, file, keyFile);
  const warnings = checkValidity(leaf.info, file, opts.now);
  return {
    certDer: leaf.der,
    chainDer: orderChain(leaf, certs).map((c) => c.der),
    privateKey: await importSigningKey(pkcs8, keyFile),
    pkcs8,
    subject: leaf.info.subject,
    issuer: leaf.info.issuer,
    notBefore: leaf.info.notBefore,
    notAfter: leaf.info.notAfter,
    ...(await thumbprints(leaf.der)),
    warnings,
  };
}

type Parsed = { der: Uint8Array<ArrayBuffer>; info: CertInfo };

/** Picks the RSA key and the certificate holding its public half (the leaf). */
function matchKeyToCertificate(found: Found, file: string, keyFile: string) {
  if (!found.keys.length) {
    throw new UsageError("CERT_KEY_MISSING", `no private key in ${keyFile}`, {
      hints: ["give the key file with --private-key-path, or put the key in the same PEM file"],
    });
  }
  if (!found.certs.length) throw new UsageError("CERT_INVALID", `no certificate in ${file}`);
  const pkcs8 = found.keys[0];
  const key = guard(() => parsePkcs8(pkcs8), `the private key in ${keyFile} is not valid`);
  if (key.keyOid !== RSA_OID) throw notRsa(keyFile);
  const certs: Parsed[] = found.certs.map((der) => ({
    der,
    info: guard(() => parseCertificate(der), `${file} holds an invalid certificate`),
  }));
  const leaf = certs.find((c) => sameRsaKey(c.info.rsa, key.rsa));
  if (leaf) return { pkcs8, leaf, certs };
  if (certs[0].info.keyOid !== RSA_OID) throw notRsa(file);
  const message = `the private key does not match the certificate in ${file}`;
  throw new UsageError("CERT_KEY_MISMATCH", message);
}

interface Found {
  certs: Uint8Array<ArrayBuffer>[];
  keys: Uint8Array<ArrayBuffer>[];
}

async function readCredentialFile(
  file: string,
  password: string | undefined,
  wantKeys: boolean,
): Promise<Found> {
  const bytes = await readBytes(file);
  const text = new TextDecoder().decode(bytes);
  if (text.includes("-----BEGIN ")) return await readPem(text, { file, password, wantKeys });
  const shape = derShape(bytes);
  if (shape === "certificate") return { certs: [bytes], keys: [] };
  if (shape === "key") return { certs: [], keys: [bytes] };
  if (/\.(pfx|p12)$/i.test(file) || shape === "pfx") {
    return await readPfx(bytes, { file, password });
  }
  throw new UsageError("CERT_INVALID", `${file} is not a PEM, DER or PFX certificate`);
}

async function readBytes(file: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return await Deno.readFile(file);
  } catch (cause) {
    if (cause instanceof Deno.errors.NotFound) {
      throw new UsageError("CERT_NOT_FOUND", `file not found: ${file}`, { cause });
    }
    throw new UsageError("CERT_UNREADABLE", `cannot read ${file}`, { cause });
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

async function readPem(
  text: string,
  { file, password, wantKeys }: { file: string; password?: string; wantKeys: boolean },
): Promise<Found> {
  const found: Found = { certs: [], keys: [] };
  for (const [block, label, body] of text.matchAll(PEM_BLOCK)) {
    if (label === "CERTIFICATE" || label === "X509 CERTIFICATE") {
      found.certs.push(decodeBody(body, file));
    } else if (!wantKeys) {
      continue;
    } else if (label === "PRIVATE KEY") {
      found.keys.push(decodeBody(body, file));
    } else if (label === "ENCRYPTED PRIVATE KEY" || body.includes("Proc-Type: 4,ENCRYPTED")) {
      found.keys.push(await decryptPemKey(block, { file, password }));
    } else if (label === "RSA PRIVATE KEY") {
      found.keys.push(pkcs1ToPkcs8(decodeBody(body, file)));
    } else if (label.endsWith("PRIVATE KEY")) {
      throw notRsa(file); // EC, DSA, OpenSSH, ...
    }
  }
  return found;
}

function decodeBody(body: string, file: string): Uint8Array<ArrayBuffer> {
  // Drop RFC 1421 header lines ("Proc-Type: ...") and whitespace before decoding.
  const base64 = body.split("\n").filter((line) => !line.includes(":")).join("").replace(/\s/g, "");
  return guard(() => Uint8Array.fromBase64(base64), `${file} holds a malformed PEM block`);
}

function checkValidity(info: CertInfo, file: string, now: number): string[] {
  if (now < info.notBefore.getTime()) {
    const when = info.notBefore.toISOString().replace(/\.\d+Z$/, "Z");
    const message = `the certificate in ${file} is not valid before ${when}`;
    throw new UsageError("CERT_NOT_YET_VALID", message, { hints: ["check the system clock"] });
  }
  const date = info.notAfter.toISOString().slice(0, 10);
  if (now > info.notAfter.getTime()) {
    throw new UsageError("CERT_EXPIRED", `the certificate in ${file} expired on ${date}`, {
      hints: ["create or request a new certificate and register it on the app"],
    });
  }
  const days = Math.floor((info.notAfter.getTime() - now) / DAY_MS);
  if (days >= EXPIRY_WARNING_DAYS) return [];
  const left = days === 0 ? "less than a day" : days === 1 ? "1 day" : `${days} days`;
  return [`certificate expires in ${left} (${date})`];
}

async function importSigningKey(pkcs8: Uint8Array<ArrayBuffer>, file: string): Promise<CryptoKey> {
  try {
    const alg = { name: "RSA-PSS", hash: "SHA-256" };
    return await crypto.subtle.importKey("pkcs8", pkcs8, alg, false, ["sign"]);
  } catch (cause) {
    const message = `the private key in ${file} cannot be used for signing`;
    throw new UsageError("CERT_INVALID", message, { cause });
  }
}

function guard<T>(fn: () => T, message: string): T {
  try {
    return fn();
  } catch (cause) {
    throw new UsageError("CERT_INVALID", message, { cause });
  }
}

function notRsa(file: string): UsageError {
  return new UsageError("CERT_NOT_RSA", `${file} holds a non-RSA key: Entra requires an RSA key`);
}
