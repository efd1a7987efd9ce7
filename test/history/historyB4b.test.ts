import { checkHistoryEntry } from './historyEntryChecks.ts';

checkHistoryEntry('B4b');
