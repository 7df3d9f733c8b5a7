import fs = require('node:fs');
import type { Io } from './command';

/**
 * The process's terminal as the CLI's Io: stdout, stderr, and questions when stdin and stderr
 * are a terminal. Both are asked of the file descriptors when needed: `process.stdin` and the
 * tty module cost milliseconds to set up, which a command that never asks would pay at every start.
 */
export const stdio: Io = {
  out: (text) => writeOut(text + '\n'),
  err: (text) => used(process.stderr).write(text + '\n'),
  get isTerminal() {
    return isatty(2);
  },
  get status() {
    return isatty(2) ? showStatus : undefined;
  },
  get ask() {
    return isatty(0) && isatty(2) ? askAtTerminal : undefined;
  },
};

/** A status line on stderr (a terminal): back to the line's start, cleared to its end, then the text without a newline. */
function showStatus(text: string): void {
  used(process.stderr).write(`\r\x1b[K${text}`);
}

/** Whether standard output is written with fs.writeSync (see writeOut); decided at the first write. */
let direct: boolean | undefined;

/**
 * Writes to standard output. A pipe or a file (how scripts read `--json`) is written directly
 * with fs.writeSync: setting up `process.stdout` (a stream over a socket for a pipe) costs a
 * process some 4 ms, more than `fieldbook info` takes to classify a document. A terminal, Windows
 * (its console wants process.stdout's text handling) and a pipe that would block (EAGAIN) get
 * process.stdout. A reader that stops early (EPIPE: `fieldbook history | head`) is not an error:
 * the rest of the output is dropped, and the command ends as it would have, with its own exit
 * code (a batch upgrade that failed on a file says 3 to `set -o pipefail`, not 0).
 */
function writeOut(text: string): void {
  if (readerGone) return;
  direct ??= process.platform !== 'win32' && !isCharacterDevice(1);
  let bytes: Buffer | undefined;
  if (direct) {
    bytes = Buffer.from(text);
    let written = 0;
    try {
      while (written < bytes.length) written += fs.writeSync(1, bytes, written);
      return;
    } catch (error) {
      if (isReaderGone(error)) return;
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      direct = false;
      bytes = bytes.subarray(written);
    }
  }
  stdout().write(bytes ?? text);
}

/** process.stdout, its output dropped once its reader has gone (EPIPE). */
function stdout(): NodeJS.WriteStream {
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (!isReaderGone(error)) throw error;
    });
  }
  return used(process.stdout);
}

/** The process's output streams the CLI has written to (each is set up on first use, which costs milliseconds). */
const written = new Set<NodeJS.WriteStream>();

function used(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  written.add(stream);
  return stream;
}

/**
 * Ends the process with `code` once everything written to stdout and stderr has reached them (a
 * pipe is written asynchronously on POSIX). The CLI ends this way, not by letting the event loop
 * run dry: at a natural exit Node tears the process down after the 'exit' event, and on the way
 * puts SIGINT and SIGTERM back to their default action, so a signal in those last milliseconds
 * killed a command that had finished (its files in place, yet its exit was "killed by SIGTERM").
 * process.exit() keeps the CLI's handlers (main/cli/interruption.ts) to the end.
 */
export function exitWhenWritten(code: number): void {
  process.exitCode = code; // should a write never be reported, the process still ends with its code
  let pending = written.size + 1;
  const settled = () => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of written) stream.write('', settled);
  settled();
}

/** Set once standard output's reader has gone: later output is dropped. */
let readerGone = false;

/**
 * Whether `error` says standard output's reader has gone: EPIPE, or ECONNRESET for the socket
 * pair a Node parent gives its child (closed with output unread); it is then remembered.
 */
function isReaderGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EPIPE' || code === 'ECONNRESET') readerGone = true;
  return readerGone;
}

/** Whether a file descriptor is a character device (a terminal, /dev/null) or cannot be looked at. */
function isCharacterDevice(fd: number): boolean {
  try {
    return fs.fstatSync(fd).isCharacterDevice();
  } catch {
    return true;
  }
}

/** Whether a file descriptor is a terminal (the tty module loaded on first use). */
function isatty(fd: number): boolean {
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

/** Reads one line typed at the terminal (the question goes to stderr); Ctrl-C, Ctrl-D or an aborted `signal` (a signal sent to the process) answers null. */
function askAtTerminal(question: string, signal?: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const readline = require('node:readline') as typeof import('node:readline');
    const rl = readline.createInterface({ input: process.stdin, output: used(process.stderr) });
    let answer: string | null = null;
    const stop = () => rl.close();
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    rl.on('SIGINT', stop);
    rl.on('close', () => {
      signal?.removeEventListener('abort', stop);
      resolve(answer);
    });
    rl.question(question, (line) => {
      answer = line;
      rl.close();
    });
  });
}
