/** Where `inspect` and `discover` read their token from. */
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { describeFsError } from "../platform/files.ts";
import { extractToken } from "../token/jwt.ts";
import { belongsTo, listEntries } from "../cache/cache_dir.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import { TokenInvalidError } from "../errors.ts";

export interface TokenSource {
  /** Positional argument; `-` means stdin. */
  arg?: string;
  token?: string;
  file?: string;
  /** The profile whose cached token to read. */
  profile?: string;
}

/** Reads the token from -t, a file, the argument or stdin, in that order. */
export async function readTokenInput(source: TokenSource, deps: Deps): Promise<string> {
  const given = [source.token, source.file, source.arg, source.profile].filter((v) =>
    v !== undefined
  );
  if (given.length > 1) {
    throw new UsageError(
      "TOKEN_SOURCE_CONFLICT",
      "give the token only once (argument, -t, -f or -p)",
    );
  }
  if (source.profile !== undefined) return await cachedToken(source.profile, deps);
  if (source.token !== undefined) return extractToken(source.token);
  if (source.file !== undefined) {
    try {
      return extractToken(await Deno.readTextFile(source.file));
    } catch (err) {
      throw new UsageError(
        "TOKEN_FILE_UNREADABLE",
        `cannot read ${source.file}: ${describeFsError(err)}`,
      );
    }
  }
  if (source.arg !== undefined && source.arg !== "-") return extractToken(source.arg);
  if (source.arg === undefined && deps.io.isTerminal.stdin) {
    throw new UsageError("TOKEN_MISSING", "no token given", {
      hints: ["Pass it as an argument, with -t, with -f FILE, or on stdin"],
    });
  }
  return extractToken(await deps.io.readStdin());
}

/** The profile's cached access token that lasts longest. */
async function cachedToken(name: string, deps: Deps): Promise<string> {
  const profile = await new ProfilesFile(deps.paths.configHome()).get(name);
  const opened = await deps.secrets.open();
  const warn = (line: string) => deps.io.stderr.write(line + "\n");
  const entries = (await listEntries(deps.paths.configHome(), opened.openEncryptedFile, warn))
    .filter((e) => belongsTo(e.entry, profile))
    .sort((a, b) => b.entry.expiresAt - a.entry.expiresAt);
  if (entries.length === 0) {
    throw new TokenInvalidError("TOKEN_NOT_CACHED", `no cached token for profile '${name}'`, {
      hints: [`Get one with: entra-auth-cli get-token -p ${name}`],
    });
  }
  return entries[0].entry.accessToken;
}
