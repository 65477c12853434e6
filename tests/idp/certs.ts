/**
 * Throwaway X.509 material for the lab, made with the `openssl` CLI: a CA, a TLS server
 * certificate for the loopback addresses signed by it, and client certificates for the
 * certificate credential. EC P-256 keys keep generation to a few milliseconds.
 * @module
 */

import { join } from "node:path";

/** Paths of the files written by {@link generateTlsCerts}. */
export interface TlsCerts {
  /** CA certificate to trust (`ca.pem`). */
  caFile: string;
  /** Server certificate for 127.0.0.1, ::1 and localhost (`server.pem`). */
  certFile: string;
  /** Server private key (`server.key`). */
  keyFile: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd: dir, stdin: "null" }).output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`openssl ${args[0]} failed (exit ${out.code}): ${err}`);
  }
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/**
 * Writes `ca.pem`/`ca.key` and `server.pem`/`server.key` into `dir`. The server
 * certificate's SAN covers IP 127.0.0.1, IP ::1 and DNS localhost, so clients can use
 * any loopback spelling.
 */
export async function generateTlsCerts(dir: string): Promise<TlsCerts> {
  // deno-fmt-ignore
  await openssl(dir, [
    "req", "-x509", ...EC_KEY, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
    "-subj", "/CN=entra-auth-cli test CA",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  // deno-fmt-ignore
  await openssl(dir, [
    "req", "-x509", ...EC_KEY, "-keyout", "server.key", "-out", "server.pem", "-days", "30",
    "-subj", "/CN=127.0.0.1", "-CA", "ca.pem", "-CAkey", "ca.key",
    "-addext", "basicConstraints=critical,CA:FALSE",
    "-addext", "keyUsage=critical,digitalSignature",
    "-addext", "extendedKeyUsage=serverAuth",
    "-addext", "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
  ]);
  return {
    caFile: join(dir, "ca.pem"),
    certFile: join(dir, "server.pem"),
    keyFile: join(dir, "server.key"),
  };
}

/** Paths of a client certificate written by {@link generateClientCert}. */
export interface ClientCert {
  certFile: string;
  keyFile: string;
}

/**
 * Writes a self-signed RSA client certificate (`{name}.pem`, `{name}.key`, PKCS#8) for
 * the certificate credential. RSA because Entra signs/accepts RS256 and PS256 assertions.
 */
export async function generateClientCert(dir: string, name = "client"): Promise<ClientCert> {
  // deno-fmt-ignore
  await openssl(dir, [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`,
    "-out", `${name}.pem`, "-days", "30", "-subj", `/CN=${name}`,
  ]);
  return { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
}
