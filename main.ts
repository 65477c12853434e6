// The only place that exits. Everything else returns exit codes through run().
import { run } from "./src/app.ts";
import { createSystemDeps } from "./src/platform/system.ts";

const name = /entratool/i.test(Deno.execPath()) ? "entratool" : "entra-auth-cli";
Deno.exit(await run(Deno.args, createSystemDeps(), name));
