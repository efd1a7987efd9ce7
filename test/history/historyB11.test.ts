import { checkHistoryEntry } from './historyEntryChecks.ts';

checkHistoryEntry('B11');
