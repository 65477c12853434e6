/**
 * The release scripts' command lines: `deno task compile --dry-run` prints exactly
 * what it would run (permission set, lazily loaded modules, output names), and the
 * install step gets the same permission set from deno.json as explicit flags.
 */
import assert from "node:assert/strict";
import {
  isRuntimeDownloadFailure,
  parseCompileArgs,
  shellQuote,
  TARGETS,
} from "../../scripts/compile.ts";
import { REPO_ROOT } from "../../scripts/cli_command.ts";
import { binDir, COMMANDS, installArgv } from "../../scripts/install.ts";
import { permissionFlags } from "../../scripts/permissions.ts";
import { LAZY_MODULES } from "../../src/lazy.ts";

async function compileScript(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "--config", `${REPO_ROOT}/deno.json`, "compile", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const includes = LAZY_MODULES.map((path) => `--include src/${path}`).join(" ");
const expectedLine = (triple: string, output: string) =>
  `${Deno.execPath()} compile --config deno.json --permission-set=cli --exclude-unused-npm ` +
  `--target ${triple} ${includes} --output ${output} main.ts`;

Deno.test("compile --dry-run prints the exact deno compile command of every target", async () => {
  const r = await compileScript(["--dry-run"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.deepEqual(r.stdout.trimEnd().split("\n"), [
    expectedLine("x86_64-unknown-linux-gnu", "dist/entra-auth-cli-linux-x64"),
    expectedLine("aarch64-unknown-linux-gnu", "dist/entra-auth-cli-linux-arm64"),
    expectedLine("x86_64-apple-darwin", "dist/entra-auth-cli-macos-x64"),
    expectedLine("aarch64-apple-darwin", "dist/entra-auth-cli-macos-arm64"),
    expectedLine("x86_64-pc-windows-msvc", "dist/entra-auth-cli-windows-x64.exe"),
    "# then: SHA-256 of each output into dist/SHA256SUMS",
  ]);
  // Every --include names a real module (a stale LAZY_MODULES entry would break the build).
  for (const path of LAZY_MODULES) assert.ok(Deno.statSync(`${REPO_ROOT}/src/${path}`).isFile);
});

Deno.test("compile --target is repeatable and --out moves the outputs", async () => {
  const r = await compileScript([
    "--dry-run",
    "--target",
    "aarch64-apple-darwin",
    "--target",
    "x86_64-pc-windows-msvc",
    "--out",
    "build/rel",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split("\n"), [
    expectedLine("aarch64-apple-darwin", "build/rel/entra-auth-cli-macos-arm64"),
    expectedLine("x86_64-pc-windows-msvc", "build/rel/entra-auth-cli-windows-x64.exe"),
    "# then: SHA-256 of each output into build/rel/SHA256SUMS",
  ]);
});

Deno.test("compile rejects an unknown target in one line, exit 2", async () => {
  const r = await compileScript(["--dry-run", "--target", "riscv64-unknown-linux-gnu"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^✗ unknown target 'riscv64-unknown-linux-gnu'; one of: x86_64-[^\n]+\n$/);
});

Deno.test("parseCompileArgs defaults to every target, in order", () => {
  const options = parseCompileArgs([]);
  assert.deepEqual(options.targets, TARGETS);
  assert.equal(options.out, "dist");
  assert.equal(options.dryRun, false);
});

Deno.test("isRuntimeDownloadFailure: only deno's failure to fetch denort", () => {
  const offline = `Download https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip
error: Writing deno compile executable to temporary file 'dist/x.tmp'
Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error: failed to lookup address information
`;
  assert.equal(isRuntimeDownloadFailure(offline), true);
  assert.equal(isRuntimeDownloadFailure("TS2322 [ERROR]: Type 'string' is not assignable"), false);
  assert.equal(
    isRuntimeDownloadFailure("error: Writing binary bytes\n  Invalid object: Not an ELF file"),
    false,
  );
});

Deno.test("shellQuote leaves plain words alone and quotes the rest", () => {
  assert.equal(shellQuote("--include"), "--include");
  assert.equal(shellQuote("src/cli/program.ts"), "src/cli/program.ts");
  assert.equal(shellQuote("my dir/it's"), `'my dir/it'\\''s'`);
});

Deno.test("permissionFlags expands deno.json's set; odd shapes are refused, not guessed", () => {
  assert.deepEqual(permissionFlags(), [
    "--allow-read",
    "--allow-write",
    "--allow-net",
    "--allow-env",
    "--allow-run",
    "--allow-sys=uid",
  ]);
  assert.deepEqual(permissionFlags({ net: { allow: ["a.test"], deny: ["b.test"] }, ffi: false }), [
    "--allow-net=a.test",
    "--deny-net=b.test",
  ]);
  assert.throws(() => permissionFlags({ all: true }), /not supported/);
  assert.throws(() => permissionFlags({ hrtime: true }), /not supported/);
});

Deno.test("install: deno install -g per name, same permission set, --root and --force", () => {
  const [main, alias] = COMMANDS;
  const argv = installArgv(main, { force: true, root: "/opt/entra" });
  assert.deepEqual(argv, [
    Deno.execPath(),
    "install",
    "--global",
    "--quiet",
    "--force",
    "--root",
    "/opt/entra",
    "--name",
    "entra-auth-cli",
    "--config",
    `${REPO_ROOT}/deno.json`,
    ...permissionFlags(),
    `${REPO_ROOT}/main.ts`,
  ]);
  const aliasArgv = installArgv(alias, { force: false });
  assert.ok(!aliasArgv.includes("--force") && !aliasArgv.includes("--root"));
  assert.equal(aliasArgv.at(-1), `${REPO_ROOT}/entratool.ts`);
  assert.equal(binDir({ root: "/opt/entra/" }, {}), "/opt/entra/bin");
  assert.equal(binDir({}, { DENO_INSTALL_ROOT: "/r", HOME: "/h" }), "/r/bin");
  assert.equal(binDir({}, { HOME: "/h" }), "/h/.deno/bin");
});
