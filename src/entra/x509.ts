/**
 * The few X.509 and PKCS#8 fields the certificate credential needs: names,
 * validity, the key algorithm and RSA public numbers (to match key and
 * certificate), and the thumbprints.
 */
import { children, content, type Der, oid, readDer, tlv } from "./der.ts";
/** The OID of RSA keys ("rsaEncryption"); Entra accepts no other key type. */
export const RSA_OID = "1.2.840.113549.1.1.1";

/** RSA public numbers, big-endian without leading zero bytes. */
export interface RsaPublic {
  n: Uint8Array<ArrayBuffer>;
  e: Uint8Array<ArrayBuffer>;
}

/** What the credential loader needs from a certificate. */
export interface CertInfo {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** The SubjectPublicKeyInfo DER, for Web Crypto `importKey("spki")`. */
  spki: Uint8Array<ArrayBuffer>;
  keyOid: string;
  rsa?: RsaPublic;
}

/** Parses a DER X.509 certificate; throws on anything that is not one. */
export function parseCertificate(der: Uint8Array<ArrayBuffer>): CertInfo {
  const top = readDer(der);
  if (top.tag !== 0x30 || top.end !== der.length) throw new RangeError("not a certificate");
  const tbs = children(children(top)[0]);
  // tbsCertificate: [0] version is optional, so index from the serial number.
  const i = tbs[0].tag === 0xa0 ? 1 : 0;
  const [, , issuer, validity, subject, spkiEl] = tbs.slice(i);
  const [notBefore, notAfter] = children(validity).map(readTime);
  const [algorithm, keyBits] = children(spkiEl);
  const keyOid = oid(children(algorithm)[0]);
  // The BIT STRING's first content byte counts unused bits; the key follows it.
  const rsa = keyOid === RSA_OID ? rsaNumbers(content(keyBits).slice(1), 0) : undefined;
  const spki = der.slice(spkiEl.offset, spkiEl.end);
  return { subject: name(subject), issuer: name(issuer), notBefore, notAfter, spki, keyOid, rsa };
}

/** Algorithm OID and RSA numbers of an unencrypted PKCS#8 PrivateKeyInfo. */
export function parsePkcs8(der: Uint8Array<ArrayBuffer>): { keyOid: string; rsa?: RsaPublic } {
  const [, algorithm, keyOctets] = children(readDer(der));
  const keyOid = oid(children(algorithm)[0]);
  // RSAPrivateKey is SEQUENCE { version, n, e, d, ... }: skip the version.
  return { keyOid, rsa: keyOid === RSA_OID ? rsaNumbers(content(keyOctets), 1) : undefined };
}

/** The certificate's hashes: hex for people (the portal shows SHA-1), base64url for JWT headers. */
export async function thumbprints(der: Uint8Array<ArrayBuffer>) {
  const sha1 = new Uint8Array(await crypto.subtle.digest("SHA-1", der));
  const sha256 = new Uint8Array(await crypto.subtle.digest("SHA-256", der));
  const b64url = { alphabet: "base64url", omitPadding: true } as const;
  return {
    sha1Thumbprint: sha1.toHex().toUpperCase(),
    sha256Thumbprint: sha256.toHex().toUpperCase(),
    x5t: sha1.toBase64(b64url),
    x5tS256: sha256.toBase64(b64url),
  };
}

/** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, which Web Crypto imports. */
export function pkcs1ToPkcs8(pkcs1: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  // INTEGER 0 (version), AlgorithmIdentifier { rsaEncryption, NULL }
  const head = Uint8Array.fromHex("020100300d06092a864886f70d0101010500");
  return tlv(0x30, new Uint8Array([...head, ...tlv(0x04, pkcs1)]));
}

/** True when both keys have the same modulus and exponent. */
export function sameRsaKey(a: RsaPublic | undefined, b: RsaPublic | undefined): boolean {
  return !!a && !!b && equalBytes(a.n, b.n) && equalBytes(a.e, b.e);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function rsaNumbers(seqBytes: Uint8Array<ArrayBuffer>, skip: number): RsaPublic {
  const ints = children(readDer(seqBytes)).slice(skip);
  return { n: stripZeros(content(ints[0])), e: stripZeros(content(ints[1])) };
}

function stripZeros(b: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.slice(i);
}

/** Reads UTCTime (two-digit year, RFC 5280 §4.1.2.5.1) or GeneralizedTime. */
function readTime(el: Der): Date {
  const text = new TextDecoder().decode(content(el));
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  if (!m || (el.tag !== 0x17 && el.tag !== 0x18)) throw new RangeError("bad certificate time");
  let year = Number(m[1]);
  if (el.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const [month, day, hour, min, sec] = m.slice(2).map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, min, sec));
}

/** Short names for the attributes seen in practice; others print as dotted OIDs. */
const ATTRIBUTE_NAMES = new Map(
  ("2.5.4.3 CN,2.5.4.5 SERIALNUMBER,2.5.4.6 C,2.5.4.7 L,2.5.4.8 ST,2.5.4.9 STREET,2.5.4.10 O," +
    "2.5.4.11 OU,1.2.840.113549.1.9.1 E,0.9.2342.19200300.100.1.25 DC,0.9.2342.19200300.100.1.1 UID")
    .split(",").map((pair) => pair.split(" ") as [string, string]),
);

/** Formats a Name most-specific first ("CN=app, O=Contoso"), as Windows and RFC 4514 do. */
function name(el: Der): string {
  const rdns = children(el).map((rdn) =>
    children(rdn).map((atv) => {
      const [type, value] = children(atv);
      const key = ATTRIBUTE_NAMES.get(oid(type)) ?? oid(type);
      return `${key}=${escapeValue(stringValue(value))}`;
    }).join("+")
  );
  return rdns.reverse().join(", ");
}

function stringValue(el: Der): string {
  const b = content(el);
  switch (el.tag) {
    case 0x1e: // BMPString is UTF-16BE
      return new TextDecoder("utf-16be").decode(b);
    case 0x14: // TeletexString: treated as Latin-1, as most tools do
      return new TextDecoder("latin1").decode(b);
    case 0x0c:
    case 0x13:
    case 0x16:
      return new TextDecoder().decode(b);
    default:
      return "#" + Array.from(b, (v) => v.toString(16).padStart(2, "0")).join("");
  }
}

function escapeValue(value: string): string {
  return value.replace(/[,+"\\<>;]/g, (c) => `\\${c}`);
}

/** Orders certificates leaf first, then its issuer and so on; any off that path go last. */
export function orderChain<T extends { info: CertInfo }>(leaf: T, certs: T[]): T[] {
  const chain = [leaf];
  const rest = certs.filter((c) => c !== leaf);
  for (let cur = leaf; cur.info.issuer !== cur.info.subject;) {
    const next = rest.findIndex((c) => c.info.subject === cur.info.issuer);
    if (next < 0) break;
    cur = rest.splice(next, 1)[0];
    chain.push(cur);
  }
  return [...chain, ...rest];
}
