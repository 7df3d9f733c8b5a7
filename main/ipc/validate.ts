import { FieldbookError } from '@fieldbook/engine';

/** Checks of what a renderer sends (it is not trusted): each throws BAD_REQUEST naming the argument. */

export const bad = (message: string) => new FieldbookError('BAD_REQUEST', message);

export function str(value: unknown, name: string, max = 10000): string {
  if (typeof value !== 'string' || value.length > max) throw bad(`${name} must be text`);
  return value;
}
export function int(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value)) throw bad(`${name} must be a whole number`);
  return value as number;
}
export function bool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw bad(`${name} must be true or false`);
  return value;
}
export function obj(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${name} must be an object`);
  return value as Record<string, unknown>;
}
export function only(record: Record<string, unknown>, keys: string[], name: string): void {
  const extra = Object.keys(record).filter((k) => !keys.includes(k));
  if (extra.length) throw bad(`${name} has unknown fields: ${extra.join(', ')}`);
}
export function optionalText(value: unknown, name: string): string | null | undefined {
  return value === undefined || value === null ? (value as null | undefined) : str(value, name);
}
export function strings(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length > 1000) throw bad(`${name} must be a list of text`);
  return value.map((v, i) => str(v, `${name}[${i}]`, 200));
}
