/**
 * A mocha (7) reporter for the Sequelize suite: appends one JSON line per test outcome to the
 * file named by `SEQUELIZE_SUITE_RESULTS` (`{ state: 'passed' | 'failed' | 'pending', title,
 * error? }`), synchronously, so a process that dies halfway leaves what it ran. Hook failures
 * ("before each" hook ...) count as failed tests, as mocha reports them.
 */
import fs = require('node:fs');

interface Runnable {
  fullTitle(): string;
}

interface Runner {
  on(event: 'pass' | 'pending', listener: (test: Runnable) => void): void;
  on(event: 'fail', listener: (test: Runnable, error: unknown) => void): void;
}

/** The first line of an error's message (where mocha's diff follows). */
const firstLine = (error: unknown): string =>
  String((error as { message?: unknown } | null)?.message ?? error)
    .split('\n')[0]!
    .slice(0, 300);

function ResultReporter(runner: Runner): void {
  const file = process.env.SEQUELIZE_SUITE_RESULTS;
  if (!file) throw new Error('SEQUELIZE_SUITE_RESULTS must name the results file');
  const write = (line: object) => fs.appendFileSync(file, JSON.stringify(line) + '\n');
  runner.on('pass', (test) => write({ state: 'passed', title: test.fullTitle() }));
  runner.on('pending', (test) => write({ state: 'pending', title: test.fullTitle() }));
  runner.on('fail', (test, error) => write({ state: 'failed', title: test.fullTitle(), error: firstLine(error) }));
}

export = ResultReporter;
