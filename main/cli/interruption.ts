import fs = require('node:fs');
import { FieldbookError, removeTemporaryFiles } from '@fieldbook/engine';

/** Commands that change or write documents for a while: SIGINT, SIGTERM and SIGHUP (the terminal closed) cancel them cleanly. */
export const LONG_COMMANDS = new Set(['upgrade', 'downgrade', 'subset', 'export', 'verify']);
/** The shell's convention: 128 + the signal's number. */
export const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
/** A signal that stops a long command. */
export type StopSignal = keyof typeof SIGNAL_EXIT;
/** SIGHUP does not exist on Windows (Node emulates it only for a closing console). */
const STOP_SIGNALS = (Object.keys(SIGNAL_EXIT) as StopSignal[]).filter((s) => s !== 'SIGHUP' || process.platform !== 'win32');
/** How long a cancelled command may take to roll back and clean up before the CLI stops anyway. */
const CANCEL_GRACE_MS = 10_000;

/** A command stopped by a signal: what the CLI reports (`error`) and the signal that stopped it. */
export class Interrupted extends Error {
  constructor(
    readonly signal: StopSignal,
    readonly error: FieldbookError,
  ) {
    super(error.message);
  }
}

/** The handlers of the last finished command, removed when the process is about to exit or the next command starts. */
let lingering: (() => void) | undefined;

/**
 * While a long command runs, SIGINT, SIGTERM and SIGHUP abort its signal: the engine stops at its next
 * safe point, rolls back and removes its temporary and partial files, and the CLI exits with
 * 130 or 143. A second signal, or a command that has not stopped after CANCEL_GRACE_MS, ends
 * the process at once, after removing the temporary files it made (an open transaction is
 * rolled back by SQLite on the next open).
 */
export function listenForInterruption(enabled: boolean): { signal: AbortSignal; received: StopSignal | null; stop(): void } {
  const controller = new AbortController();
  const state = { signal: controller.signal, received: null as StopSignal | null, stop() {} };
  if (!enabled) return state;
  let timer: NodeJS.Timeout | undefined;
  const forceExit = (signal: StopSignal) => {
    removeTemporaryFiles();
    // Written at once: process.exit does not wait for a pipe written asynchronously.
    try {
      fs.writeSync(2, `error: ABORTED: stopped by ${signal}; temporary files were removed\n`);
    } catch {
      // standard error is closed or full: the exit code still says it
    }
    process.exit(SIGNAL_EXIT[signal]);
  };
  let finished = false;
  const handler = (signal: StopSignal) => {
    // After the command returned (its result may still be printing): recorded, and reported as "already finished".
    if (finished) {
      state.received ??= signal;
      return;
    }
    if (state.received) forceExit(signal);
    state.received = signal;
    controller.abort(new FieldbookError('ABORTED', `interrupted by ${signal}`));
    timer = setTimeout(() => forceExit(signal), CANCEL_GRACE_MS);
    timer.unref();
  };
  lingering?.();
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  const remove = () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
    if (lingering === remove) lingering = undefined;
  };
  // The handlers stay until the next command starts, or the process exits: a signal between the
  // command's end and the exit must not kill the process by default (its work is done; it exits
  // as it would have). Removing them at 'beforeExit' left a window in which a signal did (seen
  // as a flaky signals test under load), and so did a natural exit, which puts the default
  // actions back while Node tears down: bin/fieldbook.js ends with process.exit (exitWhenWritten
  // in terminal.ts). Signal listeners do not keep Node's event loop alive.
  state.stop = () => {
    finished = true;
    if (timer) clearTimeout(timer);
    lingering = remove;
  };
  return state;
}

/** What the CLI reports for a command stopped by a signal: the engine's ABORTED, or what failed instead, said to be an interruption. */
export function interrupted(error: unknown, signal: StopSignal): Interrupted {
  if (error instanceof FieldbookError) {
    if (error.code === 'ABORTED') return new Interrupted(signal, new FieldbookError('ABORTED', `interrupted by ${signal}: ${error.message}`, { details: error.details }));
    return new Interrupted(signal, error);
  }
  return new Interrupted(signal, new FieldbookError('ABORTED', `interrupted by ${signal}: ${error instanceof Error ? error.message : String(error)}`));
}
