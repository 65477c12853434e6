/**
 * A minimal DER reader (and the one encoder the key code needs). Plain PEM and
 * DER files are read with it, without loading node-forge, which is only pulled
 * in for PFX files and encrypted keys (see pfx.ts).
 */

/** One DER element: its tag, where its header and content start, and where it ends. */
export interface Der {
  tag: number;
  bytes: Uint8Array<ArrayBuffer>;
  offset: number;
  start: number;
  end: number;
}

/** Reads the element at `offset`; throws a RangeError on malformed input. */
export function readDer(bytes: Uint8Array<ArrayBuffer>, offset = 0): Der {
  if (offset + 2 > bytes.length) throw new RangeError("truncated DER");
  const tag = bytes[offset];
  // Multi-byte tags never occur in the structures read here.
  if ((tag & 0x1f) === 0x1f) throw new RangeError("unsupported DER tag");
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // Four length bytes cover any certificate; more (or indefinite form) is not DER.
    if (count === 0 || count > 4) throw new RangeError("unsupported DER length");
    if (start + count > bytes.length) throw new RangeError("truncated DER");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i];
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new RangeError("truncated DER");
  return { tag, bytes, offset, start, end };
}

/** The children of a constructed element (SEQUENCE, SET, context tags). */
export function children(el: Der): Der[] {
  const out: Der[] = [];
  for (let at = el.start; at < el.end;) {
    const child = readDer(el.bytes, at);
    if (child.end > el.end) throw new RangeError("DER element overruns its parent");
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The content octets of an element. */
export function content(el: Der): Uint8Array<ArrayBuffer> {
  return el.bytes.slice(el.start, el.end);
}

/** Decodes an OBJECT IDENTIFIER to its dotted form. */
export function oid(el: Der): string {
  const b = content(el);
  const parts = [Math.floor(b[0] / 40), b[0] % 40];
  let value = 0;
  for (let i = 1; i < b.length; i++) {
    value = value * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}

/** Encodes one element from its tag and content. */
export function tlv(tag: number, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const length: number[] = [];
  for (let v = body.length; v > 0; v = Math.floor(v / 256)) length.unshift(v & 0xff);
  const header = body.length < 0x80 ? [body.length] : [0x80 | length.length, ...length];
  return new Uint8Array([tag, ...header, ...body]);
}

/**
 * Tells binary files apart by their first fields: a certificate is SEQUENCE {
 * SEQUENCE tbs, ... }, PKCS#8 is SEQUENCE { INTEGER, SEQUENCE, OCTET STRING },
 * PFX is SEQUENCE { INTEGER 3, SEQUENCE authSafe, SEQUENCE mac }.
 */
export function derShape(
  bytes: Uint8Array<ArrayBuffer>,
): "pfx" | "certificate" | "key" | undefined {
  try {
    const top = readDer(bytes);
    const [first, , third] = top.tag === 0x30 ? children(top) : [];
    if (first?.tag === 0x30) return "certificate";
    if (first?.tag === 0x02) return third?.tag === 0x04 ? "key" : "pfx";
  } catch {
    // not DER at all
  }
  return undefined;
}
