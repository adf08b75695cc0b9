// The Checkmk agent's output (Checkmk manual, "Monitoring agents" and "The Checkmk agent for
// Linux"): on TCP 6556 the agent writes its whole output as soon as a client connects, and the
// client sends nothing. The output is plain text in sections, each opened by a header line
// "<<<name>>>" or "<<<name:option(…)…>>>" (sep(58), cached(…), persist(…), encoding(…));
// "<<<<host>>>>" lines open and close piggyback data about other hosts. The first section,
// <<<check_mk>>>, describes the agent: "Version: 1.4.0p9", "AgentOS: linux", "Hostname: …",
// its directories, and "OnlyFrom: …" (the addresses it answers; empty: anyone).
// Agents 2.1 and later registered with the agent controller (cmk-agent-ctl) answer with the two
// ASCII bytes "16" and then a TLS handshake (the controller's pull mode, TLS_ID); agents with the
// older symmetric encryption send a two-digit protocol version ("03", "05" …) and ciphertext.
// Pure functions only.

export const CHECKMK_PORT = 6556;
export const CHECKMK_HEADER = '<<<check_mk>>>';
/** What the agent controller writes before its TLS handshake. */
export const TLS_ID = '16';

/** A section header's name ("df", "lnx_if" of "<<<lnx_if:sep(58)>>>"), or null. */
export function sectionName(line: string): string | null {
  const m = /^<<<([^<>:\s]{1,64})(?::[^<>]*)?>>>$/.exec(line);
  return m === null ? null : m[1];
}

/** A "Key: value" line of the <<<check_mk>>> section, or null. */
export function headerField(line: string): { key: string; value: string } | null {
  const m = /^([A-Za-z][A-Za-z0-9_]{0,63}):[ \t]?(.*)$/.exec(line);
  if (m === null) return null;
  return { key: m[1], value: m[2].trim() };
}

/** True when `buf` starts with as much of "<<<check_mk>>>" as it holds. */
export function headerPrefix(buf: Uint8Array, off: number, len: number): boolean {
  const n = Math.min(len, CHECKMK_HEADER.length);
  for (let i = 0; i < n; i++) if (buf[off + i] !== CHECKMK_HEADER.charCodeAt(i)) return false;
  return n > 0;
}

export function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}
