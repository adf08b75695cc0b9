// The AMQP analyzer's registration: TCP 5672 (RabbitMQ, Qpid, ActiveMQ), or any port by the
// client's protocol header or, for a connection the capture joined, by its frames.
import type { AnalyzerSpec } from '../types.js';
import { AmqpAnalyzer } from './analyzer.js';
import { AMQP_PORT } from './parse.js';
import { probe } from './probe.js';

export const AMQP: AnalyzerSpec = {
  name: 'amqp',
  tcp: true,
  udp: false,
  ports: [AMQP_PORT],
  probe,
  // "A" of the protocol header; method, content header, body and heartbeat frame types
  firstBytes: [0x41, 1, 2, 3, 8],
  pairedMaybe: true,
  create: () => new AmqpAnalyzer(),
};
