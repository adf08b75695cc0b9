// checkmk.log: one line per connection to a Checkmk agent (wardline's; Zeek has no Checkmk
// analyzer): plain, TLS or encrypted; from the <<<check_mk>>> section the agent version, OS, host
// name and OnlyFrom (open_to_all when it is empty); the names of the sections that followed, how
// many and how many bytes. Never a section's contents.
import type { LogMapper } from '../logs.js';
import { summaryMapper } from '../connid.js';

const FIELDS = ['transport', 'version', 'agent_os', 'hostname', 'only_from', 'open_to_all', 'sections', 'section_count', 'bytes'] as const;

export const CHECKMK_LOGS: Record<string, LogMapper> = { 'checkmk.session': summaryMapper('checkmk', FIELDS) };
