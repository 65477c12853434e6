// deno-lint-ignore-file no-console
/**
 * `deno task bench`: how much a cached get-token costs next to the runtime floor
 * (`deno run` of an empty module, same config and permission set) and next to a
 * fresh client-credentials call, measured side by side in one run against the
 * local test IdP. Reports the median wall time and peak memory of each.
 *
 * Options: --runs N (default 21), --passphrase (key from ENTRA_AUTH_CLI_PASSPHRASE
 * instead of the key file).
 */
import { startIdp } from "../tests/idp/harness.ts";
import {
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  TENANT_ID,
} from "../tests/idp/clients.ts";
import { cliCommand, denoDir, REPO_ROOT, runArgv } from "./cli_command.ts";

const runs = Number(Deno.args[Deno.args.indexOf("--runs") + 1]) || 21;
const passphrase = Deno.args.includes("--passphrase");
const gnuTime = await exists("/usr/bin/time");

const idp = await startIdp();
const home = await Deno.makeTempDir({ prefix: "entra-bench-" });
const env: Record<string, string> = {
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: home,
  DENO_DIR: denoDir(),
  ENTRA_AUTH_CLI_HOME: `${home}/config`,
  DENO_CERT: idp.caFile,
  AZURE_AUTHORITY_HOST: idp.origin,
  ENTRA_AUTH_CLI_SECRET_STORE: "file",
  ...(passphrase ? { ENTRA_AUTH_CLI_PASSPHRASE: "bench passphrase" } : {}),
};

interface Sample {
  ms: number;
  kb?: number;
}

/** Runs argv once; wall time from spawn to exit, peak RSS from GNU time when present. */
async function once(argv: string[], stdin?: string): Promise<Sample> {
  const started = performance.now();
  const out = await runArgv(gnuTime ? ["/usr/bin/time", "-f", "%M", ...argv] : argv, {
    env,
    stdin,
  });
  const ms = performance.now() - started;
  const err = out.stderr;
  if (out.code !== 0) throw new Error(`${argv.join(" ")} failed: ${err}`);
  const kb = gnuTime ? Number(err.trim().split("\n").at(-1)) : undefined;
  return { ms, kb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const empty = `${home}/empty.ts`;
  await Deno.writeTextFile(empty, "");
  const [deno, ...runArgs] = cliCommand();
  const floor = [deno, ...runArgs.slice(0, -1), empty];
  const cli = cliCommand();
  await once(
    [
      ...cli,
      "create-profile",
      "--name",
      "bench",
      "--tenant-id",
      TENANT_ID,
      "--client-id",
      CONFIDENTIAL_CLIENT_ID,
      "--client-secret-stdin",
    ],
    CONFIDENTIAL_CLIENT_SECRET,
  );
  const cases: [string, string[]][] = [
    ["runtime floor (empty module)", floor],
    ["get-token, cached", [...cli, "get-token", "-p", "bench", "--silent"]],
    ["get-token --force (new token)", [...cli, "get-token", "-p", "bench", "--silent", "--force"]],
  ];
  for (const [, argv] of cases) await once(argv); // warm caches (and fill the token cache)
  const samples = new Map<string, Sample[]>(cases.map(([name]) => [name, []]));
  // Interleaved, so load on the machine affects every case alike.
  for (let i = 0; i < runs; i++) {
    for (const [name, argv] of cases) samples.get(name)!.push(await once(argv));
  }
  const floorMs = median(samples.get(cases[0][0])!.map((s) => s.ms));
  const floorKb = Math.max(...samples.get(cases[0][0])!.map((s) => s.kb ?? 0));
  console.log(
    `entra-auth-cli benchmark: ${runs} runs each, Deno ${Deno.version.deno}, ${Deno.build.target}`,
  );
  console.log(
    `secret store: encrypted file, key from ${
      passphrase ? "ENTRA_AUTH_CLI_PASSPHRASE" : "the key file"
    }`,
  );
  console.log("");
  console.log("case                              median ms   × floor   peak RSS MiB   × floor");
  for (const [name] of cases) {
    const s = samples.get(name)!;
    const ms = median(s.map((x) => x.ms));
    const kb = Math.max(...s.map((x) => x.kb ?? 0));
    const mem = gnuTime
      ? `${(kb / 1024).toFixed(1).padStart(12)}   ${(kb / floorKb).toFixed(2).padStart(7)}`
      : "   n/a (no /usr/bin/time)";
    console.log(
      `${name.padEnd(32)} ${ms.toFixed(1).padStart(10)}   ${
        (ms / floorMs).toFixed(2).padStart(7)
      }   ${mem}`,
    );
  }
  console.log(`\n(config ${REPO_ROOT}/deno.json, permission set "cli")`);
} finally {
  await idp.stop();
  await Deno.remove(home, { recursive: true });
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}
