/**
 * The CLI's permission set lives in one place: deno.json, `"permissions": {"cli": …}`.
 * `deno compile` embeds it by name (`--permission-set=cli`), but `deno install -g`
 * (Deno 2.9.6) accepts `-P` and then leaves it out of the shim it writes, so the
 * installed command would start with no permissions at all. The install step
 * therefore expands the set into explicit `--allow-*` flags here, from the same list.
 */
import denoJson from "../deno.json" with { type: "json" };

/** The name of the permission set in deno.json. */
export const PERMISSION_SET = "cli";

/** `true`, a list of values, or the object form `{ allow, deny }` of deno.json. */
type Grant = boolean | string[] | { allow?: boolean | string[]; deny?: boolean | string[] };

// Deno's names for the permission kinds a set may hold.
const KINDS = ["read", "write", "net", "env", "run", "sys", "ffi", "import"];

/** The permission set from deno.json as a plain object. */
export function permissionSet(): Record<string, Grant> {
  const sets = denoJson.permissions as Record<string, Record<string, Grant>>;
  const set = sets[PERMISSION_SET];
  if (!set) throw new Error(`deno.json has no permission set named '${PERMISSION_SET}'`);
  return set;
}

/** The set as `deno run` flags, e.g. `--allow-read`, `--allow-sys=uid`. */
export function permissionFlags(set: Record<string, Grant> = permissionSet()): string[] {
  const flags: string[] = [];
  for (const [kind, grant] of Object.entries(set)) {
    // Fail loudly rather than silently widen or narrow a set this code does not understand.
    if (kind === "all" || !KINDS.includes(kind)) {
      throw new Error(`permission '${kind}' in deno.json is not supported by permissionFlags`);
    }
    if (typeof grant === "object" && !Array.isArray(grant)) {
      flags.push(...flag("allow", kind, grant.allow), ...flag("deny", kind, grant.deny));
    } else {
      flags.push(...flag("allow", kind, grant));
    }
  }
  return flags;
}

function flag(verb: string, kind: string, value: boolean | string[] | undefined): string[] {
  if (value === true) return [`--${verb}-${kind}`];
  if (Array.isArray(value) && value.length > 0) return [`--${verb}-${kind}=${value.join(",")}`];
  return [];
}
