// lpd.log: one line per print job received over LPD (RFC 1179), or per status, print or remove
// command (wardline's; Zeek has no LPD analyzer): the queue, who sent the job from which host
// (the control file's H and P lines), its class, mail-to address and print formats, whether it
// had a name (`named`; job names, titles and file names are never logged, as with IPP: they are
// often a patient's), how many data files and bytes (the documents are never kept), and whether
// the server accepted it; for status commands the first line of the server's answer.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = [
  'command',
  'queue',
  'operands',
  'control_file',
  'host',
  'user',
  'class',
  'banner_user',
  'mail_to',
  'named',
  'formats',
  'data_files',
  'data_bytes',
  'aborted',
  'accepted',
  'refused_code',
  'reply',
  'reply_bytes',
] as const;

export const LPD_LOGS: Record<string, LogMapper> = { 'lpd.request': summaryMapper('lpd', FIELDS) };
