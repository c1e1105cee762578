import { quote } from '@gated/core';

/** At most this many entries of a list read from a file are written into an error message. */
const MAX_LIST_ENTRIES = 8;

/** A list read from a file (dims, a perm, a shape, names) for an error message: `[a, b, c]`, or
 * `[a, b, …, +n more]` past 8 entries. A file can hold a perm with a million entries or a
 * 900,000-character name; the message stays a few hundred characters whatever it says. */
export function listText(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_LIST_ENTRIES).map(entryText);
  if (values.length > MAX_LIST_ENTRIES) shown.push(`… +${values.length - MAX_LIST_ENTRIES} more`);
  return `[${shown.join(', ')}]`;
}

function entryText(value: unknown): string {
  if (typeof value === 'string') return quote(value, 24);
  if (Array.isArray(value)) return listText(value);
  return String(value).slice(0, 24);
}
