/**
 * A one-line spinner on stderr for long waits. Like colour, it appears only when
 * stderr is a terminal and NO_COLOR is unset (SPEC §2); otherwise it is a no-op,
 * so logs and pipes never fill with carriage returns.
 */
import type { Env, Io } from "../deps.ts";
import { useColor } from "./reporter.ts";

/** A running spinner. */
export interface Spinner {
  /** False for the no-op spinner (not a terminal, NO_COLOR, or disabled). */
  readonly active: boolean;
  /** Removes the spinner line. */
  stop(): void;
}

const FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
const FRAME_MS = 120;

/** Starts redrawing `text()` with a spinner in front; `enabled: false` gives a no-op. */
export function startSpinner(io: Io, env: Env, text: () => string, enabled = true): Spinner {
  if (!enabled || !useColor(io, env)) return { active: false, stop() {} };
  let frame = 0;
  const draw = () => io.stderr.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text()}`);
  draw();
  const timer = setInterval(draw, FRAME_MS);
  return {
    active: true,
    stop() {
      clearInterval(timer);
      io.stderr.write("\r\x1b[2K");
    },
  };
}

/** `m:ss` for a remaining time. */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}
