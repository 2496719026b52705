/**
 * The command table. Anything not listed answers MongoDB's CommandNotFound, never a silent success.
 */
import { adminCommands } from './admin';
import { aggregateCommands } from './aggregate';
import type { CommandHandler } from './context';
import { crudCommands } from './crud';
import { ddlCommands } from './ddl';
import { failPointCommands } from './failpoints';

/** Every implemented command by the name that opens the command document. */
export const COMMANDS: ReadonlyMap<string, CommandHandler> = new Map(
  Object.entries({
    ...adminCommands,
    ...crudCommands,
    ...aggregateCommands,
    ...ddlCommands,
    ...failPointCommands,
  }),
);
