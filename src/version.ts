/** The version, stamped in deno.json (the one place it is kept). */
import denoJson from "../deno.json" with { type: "json" };

export const VERSION: string = denoJson.version;
