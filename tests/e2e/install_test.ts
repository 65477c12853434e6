/**
 * `deno task install` for real: both names land in DENO_INSTALL_ROOT/bin with the
 * permission set from deno.json, and the installed commands work from PATH against
 * the test IdP. `--version` reports deno.json's version under either name.
 */
import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { denoDir, REPO_ROOT } from "../../scripts/cli_command.ts";
import { permissionFlags } from "../../scripts/permissions.ts";
import { runCli } from "../helpers/cli.ts";
import { recipeSteps, script } from "../helpers/readme.ts";
import {
  claimsOf,
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  sh,
  startLab,
  TENANT_ID,
} from "./lab.ts";

/** Runs `deno task install` in a clean environment; DENO_DIR is kept so npm packages are reused. */
async function install(root: string, args: string[] = []) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "--config", `${REPO_ROOT}/deno.json`, "install", ...args],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: root,
      DENO_DIR: denoDir(),
      DENO_INSTALL_ROOT: root,
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

const version = (name: string) => `${name} ${denoJson.version} (deno ${Deno.version.deno})\n`;

Deno.test("deno task install: entra-auth-cli and entratool on PATH, same permission set", async (t) => {
  await using lab = await startLab();
  const root = `${lab.env.HOME}/install-root`;
  const bin = `${root}/bin`;
  // The shims run `deno` from PATH: the same Deno the tests run on.
  const denoBin = Deno.execPath().replace(/\/[^/]*$/, "");
  const env = { PATH: `${bin}:${denoBin}:/usr/bin:/bin`, DENO_DIR: denoDir() };

  await t.step("installs both names into $DENO_INSTALL_ROOT/bin", async () => {
    const r = await install(root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`^✓ installed entra-auth-cli and entratool into ${bin}$`, "m"),
    );
    for (const [name, entry] of [["entra-auth-cli", "main.ts"], ["entratool", "entratool.ts"]]) {
      const shim = await Deno.readTextFile(`${bin}/${name}`);
      // Exactly the flags from deno.json's set: nothing more (no -A), nothing lost.
      const run = shim.match(/exec deno run (.*) --quiet --config \S+ '(\S+)' "\$@"/);
      assert.ok(run, shim);
      assert.deepEqual(run[1].split(" "), permissionFlags());
      assert.equal(run[2], new URL(entry, `file://${REPO_ROOT}/`).href);
    }
  });

  await t.step("a second install needs --force", async () => {
    const again = await install(root);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Run again with --force/);
    assert.equal((await install(root, ["--force"])).code, 0);
  });

  await t.step(
    "installed entra-auth-cli gets a token (client credentials, AZURE_* env)",
    async () => {
      const r = await sh(lab, "command -v entra-auth-cli && entra-auth-cli get-token --silent", {
        ...env,
        AZURE_TENANT_ID: TENANT_ID,
        AZURE_CLIENT_ID: CONFIDENTIAL_CLIENT_ID,
        AZURE_CLIENT_SECRET: CONFIDENTIAL_CLIENT_SECRET,
      });
      assert.equal(r.code, 0, r.stderr);
      const [path, token] = r.stdout.trimEnd().split("\n");
      assert.equal(path, `${bin}/entra-auth-cli`);
      assert.equal(r.stderr, "");
      assert.equal(claimsOf(token).appid, CONFIDENTIAL_CLIENT_ID);
    },
  );

  await t.step("--version: deno.json's version under both installed names", async () => {
    const r = await sh(lab, "entra-auth-cli --version && entratool --version", env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, version("entra-auth-cli") + version("entratool"));
  });
});

/** Runs the README's CI recipes (setup steps skipped) with the installed command. */
Deno.test("README CI/CD recipes work as written with the installed command", async (t) => {
  await using lab = await startLab();
  const root = `${lab.env.HOME}/install-root`;
  assert.equal((await install(root)).code, 0);
  const path = `${root}/bin:${Deno.execPath().replace(/\/[^/]*$/, "")}:/usr/bin:/bin`;
  const secrets: Record<string, string> = {
    AZURE_TENANT_ID: TENANT_ID,
    AZURE_CLIENT_ID: CONFIDENTIAL_CLIENT_ID,
    AZURE_CLIENT_SECRET: CONFIDENTIAL_CLIENT_SECRET,
  };
  // What the CI system does to `${{ secrets.X }}` (GitHub) and `$(X)` (Azure Pipelines).
  const resolve = (env: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries(env).map(([k, v]) => [
        k,
        String(v).replace(/\$\{\{ secrets\.(\w+) \}\}|\$\((\w+)\)/g, (_, a, b) => secrets[a ?? b]),
      ]),
    );
  const runSteps = async (heading: string, names: string[], extra: Record<string, string>) => {
    let last = { code: 0, stdout: "", stderr: "" };
    for (
      const step of recipeSteps(heading).filter((s) => names.includes(s.name ?? s.displayName!))
    ) {
      last = await sh(lab, script(step), {
        PATH: path,
        DENO_DIR: denoDir(),
        ENTRA_AUTH_CLI_SECRET_STORE: "file",
        ...extra,
        ...resolve(step.env),
      });
      assert.equal(last.code, 0, `${heading} / ${step.name ?? step.displayName}: ${last.stderr}`);
    }
    return last;
  };

  await t.step("GitHub Actions: masked token exported through GITHUB_ENV", async () => {
    const githubEnv = `${lab.env.HOME}/github_env`;
    await Deno.writeTextFile(githubEnv, "");
    const r = await runSteps("### GitHub Actions", ["Create the profile", "Get a token"], {
      GITHUB_ENV: githubEnv,
    });
    const token = (await Deno.readTextFile(githubEnv)).match(/^ACCESS_TOKEN=(\S+)\n$/)?.[1];
    assert.ok(token && claimsOf(token).appid === CONFIDENTIAL_CLIENT_ID);
    assert.equal(r.stdout, `::add-mask::${token}\n`);
    assert.equal(r.stderr, "");
  });

  await t.step("Azure Pipelines: token set as a secret variable", async () => {
    const r = await runSteps("### Azure Pipelines", ["Get a token"], {});
    const token = r.stdout.match(
      /^##vso\[task\.setvariable variable=ACCESS_TOKEN;issecret=true\](\S+)\n$/,
    )
      ?.[1];
    assert.ok(token && claimsOf(token).appid === CONFIDENTIAL_CLIENT_ID, r.stdout);
  });
});

Deno.test("--version from source reports deno.json's version", async () => {
  const r = await runCli(["--version"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, version("entra-auth-cli"));
});
