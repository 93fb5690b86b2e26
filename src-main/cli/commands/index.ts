// Every CLI command, by name. Adding a command is one file in this folder plus one line here.
import type { Command } from '../command';
import { demoCommand } from './demo';
import { doctorCommand } from './doctor';
import { duplicatesCommand } from './duplicates';
import { historyCommand, labelCommand } from './label';
import { exportCommand } from './export';
import { fetchHqCommand } from './fetch-hq';
import { importDwcaCommand } from './import-dwca';
import { ingestCommand } from './ingest';
import { licenseCommand } from './license';
import { rescoreQualityCommand } from './rescore-quality';
import { serveCommand } from './serve';
import { statsCommand } from './stats';
import { syncCommand } from './sync';
import { taxaCommand } from './taxa';
import { embedCommand, modelCommand, searchCommand, suggestCommand } from './search-commands';

export const COMMANDS: Command[] = [
  demoCommand,
  ingestCommand,
  statsCommand,
  serveCommand,
  exportCommand,
  fetchHqCommand,
  importDwcaCommand,
  syncCommand,
  duplicatesCommand,
  labelCommand,
  historyCommand,
  modelCommand,
  embedCommand,
  searchCommand,
  suggestCommand,
  doctorCommand,
  licenseCommand,
  rescoreQualityCommand,
  taxaCommand,
];
