// jetdirect.log: one line per raw-printing connection (TCP 9100; wardline's — Zeek has no
// analyzer for it): the languages and documents (counted, never kept), the PJL job's owner and
// whether it was named (names and titles never logged), the PostScript creator, PJL commands,
// the printer's answers (its model, firmware and status), and what reaches past printing: PJL
// queries, persistent defaults, passwords ("<redacted>"), display messages, file system access
// and directory traversal, ZPL host queries and configuration.
import type { LogMapper } from '../logs.js';
import { summaryMapper } from '../connid.js';

const FIELDS = [
  'languages',
  'documents',
  'document_bytes',
  'jobs',
  'user',
  'named',
  'creator',
  'pjl_commands',
  'info_queries',
  'defaults',
  'password',
  'ready_message',
  'fs_commands',
  'fs_paths',
  'fs_traversal',
  'fs_download_bytes',
  'fs_upload_bytes',
  'fs_entries',
  'zpl_labels',
  'zpl_fields',
  'zpl_commands',
  'model',
  'firmware',
  'status_code',
  'display',
  'online',
  'reply_bytes',
] as const;

/** Counters logged only when non-zero (a print job has no file system traffic, and so on). */
const COUNTS = new Set(['documents', 'document_bytes', 'jobs', 'fs_download_bytes', 'fs_upload_bytes', 'fs_entries', 'zpl_labels', 'zpl_fields', 'reply_bytes']);

export const JETDIRECT_LOGS: Record<string, LogMapper> = { 'jetdirect.session': summaryMapper('jetdirect', FIELDS, COUNTS) };
