// The only place that exits. Everything else returns exit codes through run().
import { run } from "./src/app.ts";
import { createSystemDeps } from "./src/platform/system.ts";

// `entratool` is the older name. A compiled binary is named by its file (a copy or a
// hard link; a symlink resolves to its target); `deno install -g` shims all run
// `deno`, so there the entry module (entratool.ts) carries the name.
const isEntratool = (path: string) => /entratool[^/\\]*$/i.test(path);
const name = isEntratool(Deno.execPath()) || isEntratool(Deno.mainModule)
  ? "entratool"
  : "entra-auth-cli";
Deno.exit(await run(Deno.args, createSystemDeps(), name));
