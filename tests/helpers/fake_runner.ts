/**
 * FakeCommandRunner: records every call (argv, stdin, env, timeout) and answers from
 * a queue of scripted responses or a handler, so OS store shims can be tested on any
 * machine. It can pretend a program is missing, times out, or hangs until the
 * caller's timeout fires.
 */
import {
  CommandNotFoundError,
  type CommandResult,
  type CommandRunner,
  CommandTimeoutError,
  type RunOptions,
} from "../../src/platform/command_runner.ts";

/** One call as the fake saw it. */
export interface RecordedCall {
  cmd: string;
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * What a call produces: a (partial) result, or one of the failure modes.
 * `hang` waits for the caller's `timeoutMs` and then times out, like a stuck daemon.
 */
export type FakeResponse =
  | Partial<CommandResult>
  | { notFound: true }
  | { timeout: true }
  | { hang: true };

/** Computes the response for a call (when the queue is empty). */
export type FakeHandler = (call: RecordedCall) => FakeResponse | Promise<FakeResponse>;

/** A CommandRunner for tests. Without a handler or queued responses, calls exit 0 silently. */
export class FakeCommandRunner implements CommandRunner {
  readonly calls: RecordedCall[] = [];
  #queue: FakeResponse[] = [];

  constructor(private readonly handler?: FakeHandler) {}

  /** Queues responses for the next calls, in order; they win over the handler. */
  respond(...responses: FakeResponse[]): this {
    this.#queue.push(...responses);
    return this;
  }

  async run(cmd: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
    const call: RecordedCall = { cmd, args: [...args] };
    if (options.stdin !== undefined) call.stdin = options.stdin;
    if (options.env !== undefined) call.env = { ...options.env };
    if (options.timeoutMs !== undefined) call.timeoutMs = options.timeoutMs;
    this.calls.push(call);
    const response = this.#queue.shift() ?? await this.handler?.(call) ?? {};
    return await settle(response, call);
  }

  /** Every argv string of every call, for "no secret in argv" assertions. */
  allArgs(): string[] {
    return this.calls.flatMap((c) => [c.cmd, ...c.args]);
  }
}

async function settle(response: FakeResponse, call: RecordedCall): Promise<CommandResult> {
  if ("notFound" in response) throw new CommandNotFoundError(`${call.cmd} is not installed`);
  if ("timeout" in response) throw new CommandTimeoutError(`${call.cmd} timed out (fake)`);
  if ("hang" in response) {
    // A hang with no timeout would hang the test: that is a bug in the caller.
    if (call.timeoutMs === undefined) throw new Error(`${call.cmd} was run without a timeout`);
    await new Promise((resolve) => setTimeout(resolve, call.timeoutMs));
    throw new CommandTimeoutError(`${call.cmd} did not finish within ${call.timeoutMs} ms`);
  }
  return { code: response.code ?? 0, stdout: response.stdout ?? "", stderr: response.stderr ?? "" };
}

/**
 * A handler that behaves like `secret-tool` over a Map (keyed by the `key`
 * attribute), for tests that need a working Linux store behind the probe.
 */
export function fakeSecretTool(items = new Map<string, string>()): FakeHandler {
  return (call) => {
    if (call.cmd !== "secret-tool") return { notFound: true };
    const key = call.args[call.args.indexOf("key") + 1];
    switch (call.args[0]) {
      case "store":
        items.set(key, call.stdin ?? "");
        return {};
      case "lookup":
        return items.has(key) ? { stdout: items.get(key) } : { code: 1 };
      case "clear":
        return items.delete(key) ? {} : { code: 1 };
      default:
        return { code: 1, stderr: `secret-tool: unknown command ${call.args[0]}` };
    }
  };
}
