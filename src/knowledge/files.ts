// Reading feed files: one place that turns a missing or unreadable file into a KnowledgeError.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KnowledgeError } from './errors.js';

const BOM = 0xfeff;

/** Reads `dir/rel` as UTF-8 without a leading byte-order mark; `file` in errors is the full path. */
export function readFeedText(dir: string, rel: string): { text: string; file: string } {
  const file = join(dir, rel);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KnowledgeError('kb.missing_file', file, {}, `cannot read the feed file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (text.charCodeAt(0) === BOM) text = text.slice(1);
  return { text, file };
}
