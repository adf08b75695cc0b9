// A stand-alone connection handle for feeding analyzers directly in tests (10.0.0.1 → 10.0.0.2).
import { Conn } from '../flow/conn.js';
import { FlowStore } from '../flow/store.js';

export function testConn(proto: number, oPort = 40000, rPort = 1): Conn {
  const store = new FlowStore(1);
  store.clear(0);
  store.proto[0] = proto;
  store.addr.set([0, 0, 0xffff, 0x0a000001, 0, 0, 0xffff, 0x0a000002], 0);
  store.oPort[0] = oPort;
  store.rPort[0] = rPort;
  return new Conn(store, 0);
}
