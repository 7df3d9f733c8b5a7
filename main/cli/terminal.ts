import type { Io } from './command';

/**
 * The process's terminal as the CLI's Io: stdout, stderr, and questions when stdin and stderr
 * are a terminal. Both are asked of the file descriptors when needed: `process.stdin` and the
 * tty module cost milliseconds to set up, which a command that never asks would pay at every start.
 */
export const stdio: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  get isTerminal() {
    return isatty(2);
  },
  get ask() {
    return isatty(0) && isatty(2) ? askAtTerminal : undefined;
  },
};

/** Whether a file descriptor is a terminal (the tty module loaded on first use). */
function isatty(fd: number): boolean {
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

/** Reads one line typed at the terminal (the question goes to stderr); Ctrl-C, Ctrl-D or an aborted `signal` (a signal sent to the process) answers null. */
function askAtTerminal(question: string, signal?: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const readline = require('node:readline') as typeof import('node:readline');
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
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
