/**
 * Options described once as data, so commander (help, errors, suggestions) and
 * the fast get-token parser (which skips loading commander on the cached path)
 * read the same definitions.
 */

/** One option as commander spells it: `-p, --profile <name>`. */
export interface OptionSpec {
  flags: string;
  description: string;
}

interface Parsed {
  short?: string;
  long: string;
  key: string;
  takesValue: boolean;
  variadic: boolean;
  negate: boolean;
}

function parseSpec(spec: OptionSpec): Parsed {
  const m = /^(?:-(\w), )?--([\w-]+)(?: <([\w|.]+)(\.\.\.)?>)?$/.exec(spec.flags);
  if (!m) throw new Error(`unsupported option spelling: ${spec.flags}`);
  const negate = m[2].startsWith("no-");
  const name = negate ? m[2].slice(3) : m[2];
  return {
    short: m[1],
    long: m[2],
    key: name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
    takesValue: m[3] !== undefined,
    variadic: m[4] !== undefined || (m[3]?.endsWith("...") ?? false),
    negate,
  };
}

/**
 * Parses argv the way commander would for these options, or returns undefined
 * when anything is unusual (help, version, an unknown or combined flag, a stray
 * argument): then commander parses it and explains any mistake.
 */
export function parseSimple(
  argv: string[],
  specs: OptionSpec[],
): Record<string, string | string[] | boolean> | undefined {
  const options = specs.map(parseSpec);
  const out: Record<string, string | string[] | boolean> = {};
  // Like commander: a `--no-x` option makes `x` true unless it is given.
  for (const o of options) if (o.negate) out[o.key] = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const o = options.find((x) => name === `--${x.long}` || (x.short && name === `-${x.short}`));
    if (!o) return undefined;
    if (!o.takesValue) {
      if (eq > 0) return undefined;
      out[o.key] = !o.negate;
      continue;
    }
    const values: string[] = [];
    if (eq > 0) values.push(arg.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("-")) values.push(argv[++i]);
    else return undefined;
    while (o.variadic && eq < 0 && i + 1 < argv.length && !argv[i + 1].startsWith("-")) {
      values.push(argv[++i]);
    }
    if (o.variadic) {
      const prior = out[o.key];
      out[o.key] = [...(Array.isArray(prior) ? prior : []), ...values];
    } else {
      out[o.key] = values[0];
    }
  }
  return out;
}
