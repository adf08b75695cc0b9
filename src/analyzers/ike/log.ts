// ike.log: one line per IKE SA (wardline's; Zeek's core has no IKE analyzer, and Corelight's
// IPsec plugin logs each message): the version and exchanges, SPIs, the proposals offered and
// the one chosen, the algorithms in use, IKEv1 authentication method and Aggressive Mode
// identities, vendor ids and notifications in clear, and encapsulated ESP packets.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['version', 'exchanges', 'initiator_spi', 'responder_spi', 'proposals_offered', 'proposal_chosen', 'encryption', 'integrity', 'dh_groups', 'auth_method', 'aggressive', 'initiator_id', 'responder_id', 'vendor_ids', 'notifies', 'answered', 'esp_packets'] as const;

export const IKE_LOGS: Record<string, LogMapper> = { 'ike.session': summaryMapper('ike', FIELDS) };
