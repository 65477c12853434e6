/** Parses durations such as `5m`, `90s`, `1h30m`, `300` (seconds). */
import { UsageError } from "../errors.ts";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Duration text to milliseconds; throws UsageError naming the flag. */
export function parseDuration(value: string, flag: string): number {
  const text = value.trim().toLowerCase();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * UNITS[m[2]];
    consumed += m[0].length;
  }
  if (consumed !== text.length || text.length === 0) {
    throw new UsageError("DURATION_INVALID", `invalid duration for ${flag}: '${value}'`, {
      hints: ["Use forms like 90s, 5m, 1h30m or a number of seconds"],
    });
  }
  return Math.round(total);
}
