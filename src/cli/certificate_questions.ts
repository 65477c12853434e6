/**
 * The certificate questions of the guided set-up: the file, and for PEM a
 * separate key file. The certificate loader itself asks for a password when
 * the file needs one, so that question is not repeated here.
 */
import { resolve } from "node:path";
import type { Deps } from "../deps.ts";
import type { CreateProfileFlags } from "./profile_build.ts";

/** The certificate file and, for PEM, a separate key file; the loader asks for a password. */
export async function askCertificate(out: CreateProfileFlags, deps: Deps): Promise<void> {
  const path = await deps.prompt.input("Certificate file (PEM or PFX):", {
    default: out.certificatePath,
    validate: (v) => fileCheck(v, deps),
  });
  out.useCertificate = true;
  out.certificatePath = expandHome(path, deps);
  if (/\.(pfx|p12)$/i.test(path)) {
    delete out.privateKeyPath;
    return;
  }
  const key = await deps.prompt.input(
    "Private key file (Enter if it is in the certificate file):",
    {
      default: out.privateKeyPath,
      validate: (v) => v.trim() === "" || fileCheck(v, deps),
    },
  );
  if (key.trim()) out.privateKeyPath = expandHome(key, deps);
  else delete out.privateKeyPath;
}

async function fileCheck(value: string, deps: Deps): Promise<true | string> {
  const path = expandHome(value, deps);
  if (!path) return "give a file path";
  const info = await Deno.stat(resolve(path)).catch(() => undefined);
  if (!info) return `file not found: ${path}`;
  return info.isFile || `not a file: ${path}`;
}

/** `~/x` as a shell would read it (the prompt is not a shell). */
function expandHome(path: string, deps: Deps): string {
  const p = path.trim();
  const home = deps.env.get("HOME");
  return home && (p === "~" || p.startsWith("~/")) ? home + p.slice(1) : p;
}
