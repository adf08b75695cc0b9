// Typed errors for knowledge feeds. A feed that does not match its published format is refused
// as a whole, with a message naming the file and the offending entry, so a user who runs
// `wardline kb import` on a damaged or different file knows exactly what to fix.

export type KnowledgeErrorCode =
  /** A feed file is missing or unreadable. */
  | 'kb.missing_file'
  /** An entry does not follow the feed's format. */
  | 'kb.malformed'
  /** manifest.json does not describe what was loaded. */
  | 'kb.manifest_mismatch';

/** Where in a feed file the problem is: a 1-based line, a record id, or both. */
export interface EntryRef {
  line?: number;
  record?: string;
}

export class KnowledgeError extends Error {
  constructor(
    readonly code: KnowledgeErrorCode,
    readonly file: string,
    readonly entry: EntryRef,
    readonly detail: string,
  ) {
    super(`${file}${describeEntry(entry)}: ${detail}`);
    this.name = 'KnowledgeError';
  }
}

function describeEntry(e: EntryRef): string {
  const parts: string[] = [];
  if (e.line !== undefined) parts.push(`line ${e.line}`);
  if (e.record !== undefined) parts.push(`record ${JSON.stringify(e.record)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** Shorthand for the common case: an entry of `file` is malformed. */
export function malformed(file: string, entry: EntryRef, detail: string): KnowledgeError {
  return new KnowledgeError('kb.malformed', file, entry, detail);
}
