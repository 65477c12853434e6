/**
 * `deno task compile` for real, one target each, kept fast:
 * - offline, deno cannot fetch its `denort` runtime: the script says so in one line
 *   and exits non-zero;
 * - with DENORT_BIN pointing at a stand-in executable, deno builds without the
 *   download; the result does not run as the app (the stand-in ignores the payload),
 *   but the payload it carries is what a real build embeds: the permission set,
 *   every lazily loaded module, and only the npm packages the program uses.
 */
import assert from "node:assert/strict";
import { outputName, TARGETS } from "../../scripts/compile.ts";
import { denoDir, REPO_ROOT } from "../../scripts/cli_command.ts";
import { permissionSet } from "../../scripts/permissions.ts";
import { LAZY_MODULES } from "../../src/lazy.ts";

async function compile(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "--config", `${REPO_ROOT}/deno.json`, "compile", ...args],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/",
      ...env,
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * A DENO_DIR that shares the real one's npm packages and caches but not its
 * downloaded runtimes (`dl/`), so a machine that once compiled online still takes
 * the download path here.
 */
async function denoDirWithoutRuntimes(root: string): Promise<string> {
  const dir = `${root}/deno-dir`;
  await Deno.mkdir(dir);
  for await (const entry of Deno.readDir(denoDir())) {
    if (entry.name !== "dl") {
      await Deno.symlink(`${denoDir()}/${entry.name}`, `${dir}/${entry.name}`);
    }
  }
  return dir;
}

const host = TARGETS.find((t) => t.triple === Deno.build.target) ?? TARGETS[0];

Deno.test("compile offline: one line naming the target and the README, non-zero exit", async () => {
  const root = await Deno.makeTempDir({ prefix: "entra-compile-" });
  try {
    const registry = new URL(Deno.env.get("NPM_CONFIG_REGISTRY") ?? "https://registry.npmjs.org");
    const r = await compile(["--target", host.triple, "--out", `${root}/dist`], {
      DENO_DIR: await denoDirWithoutRuntimes(root),
      // Online machines too: the runtime download goes to a closed local port, while
      // npm packages (already cached) may still be checked with the registry.
      HTTPS_PROXY: "http://127.0.0.1:9",
      NO_PROXY: registry.hostname,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stderr,
      `✗ deno compile could not download its runtime for ${host.triple} (offline?); ` +
        `see README "Building release binaries"\n`,
    );
    assert.equal(r.stdout, "");
    assert.deepEqual([...Deno.readDirSync(`${root}/dist`)], [], "nothing half-built");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("compile with a stand-in runtime: permission set, lazy modules, checksums", async () => {
  const root = await Deno.makeTempDir({ prefix: "entra-compile-" });
  try {
    const r = await compile(["--target", host.triple, "--out", `${root}/dist`], {
      DENO_DIR: denoDir(),
      DENORT_BIN: "/bin/true",
    });
    assert.equal(r.code, 0, r.stderr);
    const name = outputName(host);
    assert.match(r.stderr, new RegExp(`^✓ ${root}/dist/${name} \\([\\d.]+ MB\\)$`, "m"));

    const sums = await Deno.readTextFile(`${root}/dist/SHA256SUMS`);
    assert.match(sums, new RegExp(`^[0-9a-f]{64}  ${name}\n$`));
    const check = await new Deno.Command("sha256sum", {
      args: ["-c", "SHA256SUMS"],
      cwd: `${root}/dist`,
    })
      .output();
    assert.equal(check.code, 0, "sha256sum -c accepts the file");

    const payload = new TextDecoder("latin1").decode(await Deno.readFile(`${root}/dist/${name}`));
    assert.deepEqual(embeddedPermissions(payload), expectedPermissions());
    // Deno's virtual file system lists each embedded file as {"File":{"n":"<name>",…}}.
    const files = new Set([...payload.matchAll(/\{"File":\{"n":"([^"]+)"/g)].map((m) => m[1]));
    for (const path of LAZY_MODULES) assert.ok(files.has(path.split("/").pop()!), path);
    assert.ok(files.has("pfx.ts"), "modules imported by lazy modules come along");
    const dirs = new Set([...payload.matchAll(/\{"Dir":\{"n":"([^"]+)"/g)].map((m) => m[1]));
    for (const pkg of ["node-forge", "oauth4webapi"]) assert.ok(dirs.has(pkg), pkg);
    for (const testOnly of ["oidc-provider", "playwright-core"]) assert.ok(!dirs.has(testOnly));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** The permissions object deno compile wrote into the binary's metadata. */
function embeddedPermissions(payload: string): Record<string, unknown> {
  const json = payload.match(/"permissions":(\{"allow_env".*?"prompt":(true|false)\})/)?.[1];
  assert.ok(json, "metadata has a permissions object");
  const all = JSON.parse(json);
  return Object.fromEntries(KINDS.map((kind) => [`allow_${kind}`, all[`allow_${kind}`]]));
}

// The kinds a set can grant at run time (allow_import, a module-loading list, is Deno's own).
const KINDS = ["env", "net", "ffi", "read", "run", "sys", "write"];

/** What deno.json's set means in that metadata: [] is "all", null is "none". */
function expectedPermissions(): Record<string, unknown> {
  const set = permissionSet() as Record<string, boolean | string[]>;
  const expected: Record<string, unknown> = {};
  for (const kind of KINDS) {
    const grant = set[kind];
    expected[`allow_${kind}`] = grant === true ? [] : Array.isArray(grant) ? grant : null;
  }
  return expected;
}
