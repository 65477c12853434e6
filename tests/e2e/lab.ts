/** Shared set-up for end-to-end tests: a real IdP, a throwaway config home, the CLI. */
import { wrapperScript } from "../../scripts/cli_command.ts";
import { type CliOptions, type CliResult, runCli } from "../helpers/cli.ts";
import { type Idp, startIdp, type StartIdpOptions } from "../idp/harness.ts";
import {
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  PUBLIC_CLIENT_ID,
  TENANT_ID,
} from "../idp/clients.ts";

export { CONFIDENTIAL_CLIENT_ID, CONFIDENTIAL_CLIENT_SECRET, TENANT_ID };

/** One lab: IdP + home dir + env that points the CLI at both. */
export interface Lab {
  idp: Idp;
  home: string;
  env: Record<string, string>;
  cli(args: string[], options?: CliOptions): Promise<CliResult>;
  /** create-profile in the lab tenant for `clientId`, with extra flags. */
  createProfile(
    name: string,
    clientId: string,
    flags: string[],
    options?: CliOptions,
  ): Promise<CliResult>;
  /** create-profile for the confidential client, secret via stdin. */
  createSecretProfile(name: string, extra?: string[], options?: CliOptions): Promise<CliResult>;
  /** create-profile for the public (native) client: user sign-in only. */
  createPublicProfile(name: string, extra?: string[]): Promise<CliResult>;
  /** A directory with `entra-auth-cli` and `entratool` wrappers, for shell tests. */
  binDir: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a lab. */
export async function startLab(options: StartIdpOptions = {}): Promise<Lab> {
  const idp = await startIdp(options);
  const root = await Deno.makeTempDir({ prefix: "entra-lab-" });
  const home = `${root}/config`;
  const binDir = `${root}/bin`;
  await Deno.mkdir(binDir);
  const env = {
    HOME: `${root}/home`,
    ENTRA_AUTH_CLI_HOME: home,
    DENO_CERT: idp.caFile,
    // The tests assert the file store's behaviour; keyring tests set their own.
    ENTRA_AUTH_CLI_SECRET_STORE: "file",
    AZURE_AUTHORITY_HOST: idp.origin,
  };
  await Deno.mkdir(env.HOME);
  await writeWrappers(binDir);
  const cli = (args: string[], o: CliOptions = {}) =>
    runCli(args, { ...o, env: { ...env, ...o.env } });
  const createProfile = (name: string, clientId: string, flags: string[], o: CliOptions = {}) =>
    cli([
      "create-profile",
      "--name",
      name,
      "--tenant-id",
      TENANT_ID,
      "--client-id",
      clientId,
      ...flags,
    ], o);
  const close = async () => {
    await idp.stop();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  };
  return {
    idp,
    home,
    env,
    cli,
    binDir,
    createProfile,
    createSecretProfile: (name, extra = [], options = {}) =>
      createProfile(name, CONFIDENTIAL_CLIENT_ID, ["--client-secret-stdin", ...extra], {
        ...options,
        stdin: CONFIDENTIAL_CLIENT_SECRET + "\n",
      }),
    createPublicProfile: (name, extra = []) =>
      createProfile(name, PUBLIC_CLIENT_ID, ["--public-client", ...extra]),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Shell wrappers so seed commands run verbatim (`entratool get-token ...`). */
async function writeWrappers(binDir: string): Promise<void> {
  for (const name of ["entra-auth-cli", "entratool"]) {
    await Deno.writeTextFile(`${binDir}/${name}`, wrapperScript(), { mode: 0o755 });
  }
}

/** Runs a bash snippet with the wrappers first on PATH and the lab env. */
export async function sh(
  lab: Lab,
  script: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    env: {
      ...lab.env,
      PATH: `${lab.binDir}:${Deno.env.get("PATH")}`,
      NO_COLOR: "1",
      ...env,
    },
    clearEnv: true,
    cwd: lab.env.HOME,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Decodes a JWT's claims (tests only). */
export function claimsOf(token: string): Record<string, unknown> {
  const part = token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/");
  return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
}

/** No Deno/JS stack trace lines in text. */
export function hasStack(text: string): boolean {
  return /^\s+at .*(\.ts|\.js|ext:)/m.test(text);
}
