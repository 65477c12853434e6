/** Where `inspect` and `discover` read their token from. */
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { describeFsError } from "../platform/files.ts";
import { extractToken } from "../token/jwt.ts";

export interface TokenSource {
  /** Positional argument; `-` means stdin. */
  arg?: string;
  token?: string;
  file?: string;
}

/** Reads the token from -t, a file, the argument or stdin, in that order. */
export async function readTokenInput(source: TokenSource, deps: Deps): Promise<string> {
  const given = [source.token, source.file, source.arg].filter((v) => v !== undefined);
  if (given.length > 1) {
    throw new UsageError("TOKEN_SOURCE_CONFLICT", "give the token only once (argument, -t or -f)");
  }
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
