import type { Command } from './main.ts';

/** Placeholder replaced by the datamodels work in this same issue. */
export const infoCommand: Command = async (_argv, io) => {
  io.stderr('webbdesk info: not built yet\n');
  return 1;
};
