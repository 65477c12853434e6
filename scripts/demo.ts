// deno-lint-ignore-file no-console
/**
 * `deno task demo`: try the tool without an Azure tenant. Starts the project's
 * Entra-shaped test IdP on a free loopback port, uses a throwaway config home,
 * and runs the commands a newcomer would, showing what each prints.
 */
import { startIdp } from "../tests/idp/harness.ts";
import {
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  TENANT_ID,
} from "../tests/idp/clients.ts";
import { cliCommand, denoDir, runArgv } from "./cli_command.ts";

const bold = (s: string) => Deno.stdout.isTerminal() ? `\x1b[1m${s}\x1b[0m` : s;
const dim = (s: string) => Deno.stdout.isTerminal() ? `\x1b[2m${s}\x1b[0m` : s;

const idp = await startIdp();
const home = await Deno.makeTempDir({ prefix: "entra-auth-cli-demo-" });
const env: Record<string, string> = {
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: home,
  DENO_DIR: denoDir(),
  ENTRA_AUTH_CLI_HOME: `${home}/.entra-auth-cli`,
  DENO_CERT: idp.caFile,
  AZURE_AUTHORITY_HOST: idp.origin,
  NO_COLOR: "1",
};

/** Runs the CLI, echoing the command line like a terminal session would. */
async function step(
  title: string,
  shown: string,
  args: string[],
  options: { stdin?: string; env?: Record<string, string>; expectCode?: number } = {},
): Promise<string> {
  console.log(`\n${bold(`# ${title}`)}\n$ ${shown}`);
  const out = await runArgv([...cliCommand(), ...args], {
    env: { ...env, ...options.env },
    stdin: options.stdin,
  });
  const { stdout, stderr } = out;
  if (stderr) {
    console.log(dim(stderr.trimEnd().split("\n").map((l) => `  stderr│ ${l}`).join("\n")));
  }
  if (stdout) console.log(stdout.trimEnd().split("\n").map((l) => `  stdout│ ${l}`).join("\n"));
  console.log(dim(`  exit code ${out.code}`));
  if (out.code !== (options.expectCode ?? 0)) throw new Error(`demo step failed: ${title}`);
  return stdout;
}

try {
  console.log(
    bold("entra-auth-cli demo") + " — against a local Entra-shaped IdP, no Azure tenant needed",
  );
  console.log(
    `IdP:         ${idp.origin}/${TENANT_ID}/oauth2/v2.0/token (HTTPS, trusted via DENO_CERT)`,
  );
  console.log(`Config home: ${env.ENTRA_AUTH_CLI_HOME} (thrown away at the end)`);

  await step(
    "Create a profile; the secret comes on stdin and is stored encrypted",
    `printf '%s' "$CLIENT_SECRET" | entra-auth-cli create-profile --name demo --tenant-id ${TENANT_ID} --client-id ${CONFIDENTIAL_CLIENT_ID} --client-secret-stdin --scope https://graph.microsoft.com/.default`,
    [
      "create-profile",
      "--name",
      "demo",
      "--tenant-id",
      TENANT_ID,
      "--client-id",
      CONFIDENTIAL_CLIENT_ID,
      "--client-secret-stdin",
      "--scope",
      "https://graph.microsoft.com/.default",
    ],
    { stdin: CONFIDENTIAL_CLIENT_SECRET },
  );
  await step("List profiles", "entra-auth-cli config list", ["config", "list"]);
  const token = (await step(
    "Get a token: stdout has only the token, messages go to stderr",
    "entra-auth-cli get-token -p demo",
    ["get-token", "-p", "demo"],
  )).trim();
  await step("The same as JSON, for jq", "entra-auth-cli get-token -p demo --json", [
    "get-token",
    "-p",
    "demo",
    "--json",
  ]);
  await step("Decode the token", 'entra-auth-cli inspect -t "$TOKEN"', ["inspect", "-t", token]);
  await step(
    "Is it still valid for 10 minutes?",
    'entra-auth-cli discover -t "$TOKEN" --min-validity 10m',
    [
      "discover",
      "-t",
      token,
      "--min-validity",
      "10m",
    ],
  );
  await step(
    "No profile at all: AZURE_* variables work as in the Azure SDKs; a wrong secret exits 3",
    `AZURE_TENANT_ID=${TENANT_ID} AZURE_CLIENT_ID=${CONFIDENTIAL_CLIENT_ID} AZURE_CLIENT_SECRET=wrong entra-auth-cli get-token --force`,
    ["get-token", "--force"],
    {
      env: {
        AZURE_TENANT_ID: TENANT_ID,
        AZURE_CLIENT_ID: CONFIDENTIAL_CLIENT_ID,
        AZURE_CLIENT_SECRET: "wrong",
      },
      expectCode: 3,
    },
  );
  console.log(
    `\n${
      bold("Done.")
    } Secrets were never written in plaintext: see ${env.ENTRA_AUTH_CLI_HOME}/secrets.enc.`,
  );
} finally {
  await idp.stop();
  await Deno.remove(home, { recursive: true });
}
