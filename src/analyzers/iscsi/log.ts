// iscsi.log: one line per iSCSI connection (Zeek has no iSCSI analyzer): the login — session
// type, initiator and target names and aliases, authentication method, the CHAP user name
// (never the challenge or the response), the login's status, digests —, the targets a discovery
// listed, each LUN as the target described it, and the SCSI commands, reads, writes and data
// moved. Block contents are never looked at.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = [
  'session_type',
  'initiator_name',
  'initiator_alias',
  'target_name',
  'target_alias',
  'auth_method',
  'chap_user',
  'login_status',
  'logged_in',
  'header_digest',
  'data_digest',
  'targets',
  'target_addresses',
  'luns',
  'commands',
  'reads',
  'writes',
  'bytes_read',
  'bytes_written',
  'rejects',
  'scsi_errors',
] as const;

const ZEROLESS = new Set(['rejects', 'scsi_errors']);

export const ISCSI_LOGS: Record<string, LogMapper> = { 'iscsi.session': summaryMapper('iscsi', FIELDS, ZEROLESS) };
