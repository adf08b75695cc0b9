// XMPP (Jabber): clients on TCP 5222, servers on 5269, or any port by the stream opening.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { XmppAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const XMPP: AnalyzerSpec = {
  name: 'xmpp',
  tcp: true,
  udp: false,
  ports: [5222, 5269],
  probe,
  firstBytes: bytesOf('<'),
  create: () => new XmppAnalyzer(),
};
