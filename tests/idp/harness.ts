/**
 * Starts the Entra-shaped test IdP (`server.ts`) as a subprocess for Deno tests.
 *
 * ```ts
 * await using idp = await startIdp({ accessTokenTtl: 120 });
 * const res = await idp.fetch(`${idp.authority}/oauth2/v2.0/token`, { method: "POST", body });
 * ```
 * Every IdP gets its own temp dir with a fresh CA, so nothing is trusted globally: talk to
 * it through `idp.fetch`/`idp.client`, or give a CLI subprocess `DENO_CERT=idp.caFile`.
 * @module
 */

import { fileURLToPath } from "node:url";
import { generateTlsCerts } from "./certs.ts";
import type { LabStats } from "./lab_control.ts";

/** Request counters returned by `/__lab/stats`. */
export type Stats = LabStats;

/** Options for {@link startIdp}. */
export interface StartIdpOptions {
  /** Access token lifetime in seconds (`IDP_AT_TTL`, default 3600). */
  accessTokenTtl?: number;
  /** Extra oidc-provider client metadata (`IDP_EXTRA_CLIENTS`), e.g. a certificate client. */
  extraClients?: unknown[];
  /** Any other environment for the IdP process (wins over the options above). */
  env?: Record<string, string>;
}

/** A running IdP. Stop it with `stop()` or `await using`. */
export interface Idp {
  /** `https://127.0.0.1:PORT` */
  origin: string;
  tenantId: string;
  /** `origin/tenantId`: what the CLI calls the authority. */
  authority: string;
  /** `authority/oauth2/v2.0/token` */
  tokenEndpoint: string;
  /** PEM file of the CA that signed the IdP's TLS certificate. */
  caFile: string;
  /** Temp dir of this IdP (certificates); removed by `stop()`. */
  dir: string;
  /** HTTP client that trusts `caFile` (closed by `stop()`). */
  client: Deno.HttpClient;
  /** `fetch` through {@link Idp.client}; a path is resolved against `origin`. */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  /** What the IdP wrote to stderr so far (for failure messages). */
  logs(): string;
  stats(): Promise<Stats>;
  reset(): Promise<void>;
  /** The next `count` token requests answer `status` (with `Retry-After` when given). */
  fail(o: { status: number; count: number; retryAfter?: number }): Promise<void>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const SERVER = fileURLToPath(new URL("./server.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const LOG_LIMIT = 64 * 1024;

/** Spawns the IdP on a free port and waits for its ready line. */
export async function startIdp(opts: StartIdpOptions = {}): Promise<Idp> {
  const dir = await Deno.makeTempDir({ prefix: "entra-idp-" });
  let child: Deno.ChildProcess | undefined;
  let stdout: ReadableStreamDefaultReader<string> | undefined;
  let errDone: Promise<void> = Promise.resolve();
  const log = { text: "" };
  try {
    const { caFile } = await generateTlsCerts(dir);
    child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SERVER],
      cwd: REPO_ROOT, // so deno.json's import map (npm:oidc-provider) applies
      env: idpEnv(dir, opts),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    errDone = collect(child.stderr, log);
    const ready = await waitForReady(stdout, child, log);
    // Keep reading both pipes to the end so the child never blocks and no resource leaks.
    const drained = Promise.all([errDone, drain(stdout)]);
    const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(caFile)] });
    return makeIdp({ ...ready, caFile, dir, client, child, drained, log });
  } catch (err) {
    if (child) await killAndWait(child);
    if (stdout) await drain(stdout);
    await errDone;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw err;
  }
}

function idpEnv(dir: string, opts: StartIdpOptions): Record<string, string> {
  return {
    IDP_PORT: "0",
    IDP_CERT_DIR: dir,
    IDP_AT_TTL: String(opts.accessTokenTtl ?? 3600),
    IDP_EXTRA_CLIENTS: JSON.stringify(opts.extraClients ?? []),
    NO_COLOR: "1",
    ...opts.env,
  };
}

interface Ready {
  origin: string;
  tenantId: string;
}

async function waitForReady(
  stdout: ReadableStreamDefaultReader<string>,
  child: Deno.ChildProcess,
  log: { text: string },
): Promise<Ready> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fail = (why: string) => new Error(`test IdP ${why}; its stderr:\n${log.text}`);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(fail("was not ready within 60 s")), READY_TIMEOUT_MS);
  });
  const exited = child.status.then((s) => {
    throw fail(`exited with code ${s.code} before it was ready`);
  });
  try {
    return await Promise.race([readReadyLine(stdout), exited, timeout]);
  } finally {
    clearTimeout(timer);
    exited.catch(() => {}); // the race is over; its later rejection is expected
  }
}

async function readReadyLine(stdout: ReadableStreamDefaultReader<string>): Promise<Ready> {
  let buffered = "";
  while (!buffered.includes("\n")) {
    const { value, done } = await stdout.read();
    // stdout closing means the process is exiting: let the `exited` branch of the race
    // report it with the exit code and stderr, instead of racing it with a vaguer error.
    if (done) return await new Promise<never>(() => {});
    buffered += value;
  }
  const ready = JSON.parse(buffered.slice(0, buffered.indexOf("\n")));
  if (ready.ready !== true) throw new Error(`unexpected IdP ready line: ${buffered}`);
  return { origin: ready.origin, tenantId: ready.tenantId };
}

async function collect(stream: ReadableStream<Uint8Array>, log: { text: string }): Promise<void> {
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    log.text = (log.text + chunk).slice(-LOG_LIMIT);
  }
}

async function drain(reader: ReadableStreamDefaultReader<string>): Promise<void> {
  while (!(await reader.read()).done) { /* discard: the IdP prints nothing after ready */ }
}

async function killAndWait(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch { /* already exited */ }
  await child.status;
}

function makeIdp(
  p: Ready & {
    caFile: string;
    dir: string;
    client: Deno.HttpClient;
    child: Deno.ChildProcess;
    drained: Promise<unknown>;
    log: { text: string };
  },
): Idp {
  let stopping: Promise<void> | undefined;
  const fetchIdp = (input: string | URL, init?: RequestInit) =>
    fetch(new URL(input, p.origin), { ...init, client: p.client });
  const lab = async (path: string, body?: unknown) => {
    const res = await fetchIdp(
      path,
      body === undefined ? {} : {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      },
    );
    const text = await res.text();
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text}`);
    return JSON.parse(text);
  };
  const stop = () =>
    stopping ??= (async () => {
      await killAndWait(p.child);
      await p.drained;
      p.client.close();
      await Deno.remove(p.dir, { recursive: true });
    })();
  const authority = `${p.origin}/${p.tenantId}`;
  return {
    origin: p.origin,
    tenantId: p.tenantId,
    authority,
    tokenEndpoint: `${authority}/oauth2/v2.0/token`,
    caFile: p.caFile,
    dir: p.dir,
    client: p.client,
    fetch: fetchIdp,
    logs: () => p.log.text,
    stats: () => lab("/__lab/stats"),
    reset: async () => void await lab("/__lab/reset", {}),
    fail: async (o) => void await lab("/__lab/fail", o),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
