// ICMP "ports" as Zeek keys them: the type as the originator port and, for request/reply
// pairs, the counterpart type as the responder port so both directions meet in one connection;
// for one-way messages the code stands in for the responder port.

const V4_PAIRS: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17 };
const V6_PAIRS: Record<number, number> = { 128: 129, 129: 128, 130: 131, 131: 130, 133: 134, 134: 133, 135: 136, 136: 135, 139: 140, 140: 139, 144: 145, 145: 144 };

const v4 = new Int16Array(256).fill(-1);
const v6 = new Int16Array(256).fill(-1);
for (const [k, v] of Object.entries(V4_PAIRS)) v4[Number(k)] = v;
for (const [k, v] of Object.entries(V6_PAIRS)) v6[Number(k)] = v;

/** Counterpart type, or -1 for a one-way message. */
export function icmpCounterpart(v6proto: boolean, type: number): number {
  return v6proto ? v6[type & 255] : v4[type & 255];
}

/** True for types that are requests, so their sender is the originator. */
export function icmpIsRequest(v6proto: boolean, type: number): boolean {
  return v6proto ? type === 128 || type === 130 || type === 133 || type === 135 || type === 139 || type === 144 : type === 8 || type === 13 || type === 15 || type === 10 || type === 17;
}
