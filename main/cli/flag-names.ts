/**
 * The engine and Fieldbook's selection speak of their API (`overwrite`, `collectedFrom`); a
 * person at the command line typed flags. Each pair is an API phrase the engine's messages use
 * and what the CLI says instead; test/cli-messages.test.ts runs every one of these paths through
 * the CLI and checks that no API name is left.
 */
const API_TO_FLAGS: readonly [RegExp, string][] = [
  [/\(use overwrite to replace it\)/g, '(--overwrite replaces it)'],
  [/\(--yes, or acceptLoss, accepts the loss\)/g, '(--yes accepts the loss)'],
  [/\(--no-backup, backup: false\)/g, '(--no-backup)'],
  [/\(--force, or force: true, stamps it anyway\)/g, '(--force stamps it anyway)'],
  [/\bcollectedFrom\b/g, '--from'],
  [/\bcollectedTo\b/g, '--to'],
  [/\bsampleIds\b/g, '--sample'],
  [/\bsiteIds\b/g, '--site'],
];

/** An engine error's message with the API's option names replaced by the CLI's flags. */
export function cliMessage(message: string): string {
  return API_TO_FLAGS.reduce((text, [api, flag]) => text.replace(api, flag), message);
}
