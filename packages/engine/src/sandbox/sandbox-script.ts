/** What the wrapped script resolves to (as JSON text), whatever the user's code did. */
export interface SandboxReply {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string; readonly stack?: string };
  readonly logs: { level: string; message: string }[];
  readonly droppedLogs: number;
}

const MAX_LOG_ENTRIES = 200;
const MAX_LOG_MESSAGE_LENGTH = 4000;

/**
 * Runs inside the isolate, before the user's code, on ONE line so that the
 * user's first line is line 1 of the script (`lineOffset: -1`). It captures
 * what it needs (JSON.stringify) before user code can replace it, installs a
 * buffering console and, when given one, a `fetch` bridged to the host, and
 * removes the few globals that could dodge the limits (shared memory that
 * blocks, WebAssembly memory).
 */
const PRELUDE = [
  'const __stringify = JSON.stringify;',
  'const __logs = []; let __dropped = 0;',
  "const __format = (value) => { if (typeof value === 'string') return value; try { const json = __stringify(value); return json === undefined ? String(value) : json; } catch { return String(value); } };",
  `const __record = (level) => (...args) => { if (__logs.length >= ${MAX_LOG_ENTRIES}) { __dropped++; return; } __logs.push({ level, message: args.map(__format).join(' ').slice(0, ${MAX_LOG_MESSAGE_LENGTH}) }); };`,
  "globalThis.console = { log: __record('log'), info: __record('info'), debug: __record('debug'), warn: __record('warn'), error: __record('error') };",
  "if ($2) { const __fetch = $2; globalThis.fetch = async (url, init) => { const options = init || {}; const headers = {}; for (const [name, value] of Object.entries(options.headers || {})) headers[name] = String(value); const request = { url: String(url), method: String(options.method || 'GET').toUpperCase(), headers, body: options.body === undefined || options.body === null ? undefined : String(options.body) }; return __fetch.apply(undefined, [request], { arguments: { copy: true }, result: { copy: true, promise: true } }); }; }",
  'delete globalThis.WebAssembly; delete globalThis.SharedArrayBuffer; delete globalThis.Atomics;',
  "const __describe = (error) => ({ name: error && typeof error.name === 'string' ? error.name : 'Error', message: error && error.message !== undefined ? String(error.message) : String(error), stack: error && typeof error.stack === 'string' ? error.stack : undefined });",
  'const __reply = (reply) => { try { return __stringify({ ...reply, logs: __logs, droppedLogs: __dropped }); } catch (error) { return __stringify({ ok: false, error: { name: "TypeError", message: "The returned value is not JSON: " + __describe(error).message }, logs: __logs, droppedLogs: __dropped }); } };',
  'return (async (input, $nodes) => {',
].join(' ');

const EPILOGUE = "})($0, $1).then((result) => __reply({ ok: true, result: result === undefined ? null : result }), (error) => __reply({ ok: false, error: __describe(error) }));";

/** The closure given to `evalClosure`: `$0` input, `$1` $nodes, `$2` a Reference to the fetch bridge, or undefined. */
export function wrapUserCode(code: string): string {
  // The newline before the epilogue ends a trailing line comment in the user's code.
  return `${PRELUDE}\n${code}\n${EPILOGUE}`;
}
