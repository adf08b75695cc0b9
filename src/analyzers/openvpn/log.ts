// openvpn.log: one line per OpenVPN connection (wardline's; Zeek's core has no OpenVPN analyzer):
// how the control channel is protected, the packets of each kind, and whether data flowed both
// ways. The tunnel's TLS handshake, where in clear, is in ssl.log and x509.log under the same uid.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['mode', 'hmac', 'client_resets', 'server_resets', 'control_packets', 'data_packets', 'established'] as const;

export const OPENVPN_LOGS: Record<string, LogMapper> = { 'openvpn.session': summaryMapper('openvpn', FIELDS) };
