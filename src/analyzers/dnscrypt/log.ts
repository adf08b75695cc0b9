// dnscrypt.log: one line per DNSCrypt flow (Zeek has no DNSCrypt analyzer): the queries and
// responses counted and the client magic, the key id of the resolver certificate the client
// encrypted for. Names and answers are encrypted and never seen.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['queries', 'responses', 'client_magic'] as const;

export const DNSCRYPT_LOGS: Record<string, LogMapper> = { 'dnscrypt.session': summaryMapper('dnscrypt', FIELDS) };
