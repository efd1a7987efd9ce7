import { checkHistoryEntry } from './historyEntryChecks.ts';

checkHistoryEntry('O1');
