// Typed events of the IRC analyzer.

/** A registration, join or DCC command (irc.log, Zeek's fields). */
export type IrcCommandEvent = {
  type: 'irc.command';
  nick?: string;
  user?: string;
  command: string;
  value?: string;
  addl?: string;
  dcc_file_name?: string;
  dcc_file_size?: number;
  packet: number;
};
