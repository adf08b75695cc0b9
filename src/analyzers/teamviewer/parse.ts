// TeamViewer's own protocol on TCP/UDP 5938 (closed and undocumented): its messages start with a
// two-byte magic, 0x17 0x24 (or 0x11 0x30 in its other message kind) on TCP, and carry 0x17 0x24
// at offset 11 of a UDP datagram whose first byte is a counter starting at 0 (the signature nDPI
// and Wireshark's heuristics use). Off port 5938 two bytes say too little, so nothing else is
// tried: TeamViewer's fallback over HTTPS/HTTP is found by its service names instead
// (src/knowledge/remote-access.ts).

export const TEAMVIEWER_PORT = 5938;
const MAGIC_A = [0x17, 0x24];
const MAGIC_B = [0x11, 0x30];
const UDP_MAGIC_AT = 11;

/** Whether a TCP chunk starts with one of the magics. */
export function tcpMagic(b: Uint8Array, off: number, len: number): boolean {
  if (len < 3) return false;
  const b0 = b[off];
  const b1 = b[off + 1];
  return (b0 === MAGIC_A[0] && b1 === MAGIC_A[1]) || (b0 === MAGIC_B[0] && b1 === MAGIC_B[1]);
}

/** Whether a UDP datagram carries the magic at its place. */
export function udpMagic(b: Uint8Array, off: number, len: number): boolean {
  return len > UDP_MAGIC_AT + 2 && b[off + UDP_MAGIC_AT] === MAGIC_A[0] && b[off + UDP_MAGIC_AT + 1] === MAGIC_A[1];
}
