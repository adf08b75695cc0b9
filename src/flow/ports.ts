// "Likely server ports": ports that Zeek's bundled analyzers register for. When a connection
// starts without a SYN (or with a SYN-ACK), Zeek guesses the responder by these ports, and so do we.
// (DNP3 registers 20000 for TCP and UDP: base/protocols/dnp3/main.zeek.) wardline adds the
// well-known ports of its own analyzers whose sessions last long enough to be caught mid-way:
// HL7 MLLP 2575/6661, DICOM 104/4242/11112, rsync 873, iSCSI 860/3260.

const TCP_PORTS = [
  21, 22, 23, 25, 53, 79, 80, 81, 88, 102, 104, 110, 111, 113, 135, 139, 143, 179, 389, 443, 445, 465, 502, 513, 514,
  524, 554, 563, 585, 587, 614, 631, 636, 860, 873, 989, 990, 992, 993, 995, 1080, 1433, 1521, 1883, 2404, 2575,
  2811, 3128, 3260, 3268, 3306, 3389, 4242, 5222, 5223, 5269, 5432, 5900, 5901, 5902, 5903, 5904, 5905, 5906, 5907,
  5908, 5909, 6379, 6661, 6666, 6667, 6668, 6669, 8000, 8080, 8883, 8888, 9100, 11112, 20000, 44818,
];
const UDP_PORTS = [
  53, 67, 69, 88, 123, 137, 138, 161, 162, 500, 514, 547, 1812, 1813, 2123, 2152, 3544, 4500, 4789, 5060,
  5072, 5353, 5355, 6081, 1900, 2222, 20000, 44818, 47808,
];

const tcp = new Uint8Array(65536);
const udp = new Uint8Array(65536);
for (const p of TCP_PORTS) tcp[p] = 1;
for (const p of UDP_PORTS) udp[p] = 1;

export function likelyServerPort(proto: number, port: number): boolean {
  return proto === 6 ? tcp[port] === 1 : proto === 17 ? udp[port] === 1 : false;
}
