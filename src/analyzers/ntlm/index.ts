// The NTLM analyzer's registration. It runs on DCE-RPC (TCP 135 and the dynamic ports the
// endpoint mapper hands out, found by probing) and on HTTP requests that carry NTLM; SMB and
// LDAP parse their NTLM inside their own analyzers.
import type { AnalyzerSpec } from '../types.js';
import { DCERPC_VERSION } from '../dcerpc/parse.js';
import { NtlmAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const NTLM: AnalyzerSpec = {
  name: 'ntlm',
  tcp: true,
  udp: false,
  ports: [135],
  probe,
  // DCE/RPC version 5 (a bind carrying NTLMSSP)
  firstBytes: [DCERPC_VERSION],
  create: () => new NtlmAnalyzer(),
};

export { ntlmFromHttpHeader, ntlmFromHttpHeaders } from './http.js';
export { NtlmSession } from './session.js';
export { parseNtlm } from './parse.js';
export { parseGss } from './gssapi.js';
