// Entry point for the `entratool` name under `deno install -g`: its shim runs
// `deno run entratool.ts`, and main.ts takes the program name from this file name.
import "./main.ts";
