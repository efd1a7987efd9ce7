import { checkHistoryEntry } from './historyEntryChecks.ts';

checkHistoryEntry('O2');
