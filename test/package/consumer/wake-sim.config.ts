// What `npx wake-sim` imports from the current directory before any command (and every worker thread too): the
// runtime, scenario and property of this project.
import { registerProperty, registerRuntime, registerScenario } from 'wake-sim';
import { lateReminder } from './src/lateReminder.ts';
import { littleRuntime } from './src/littleRuntime.ts';
import { remindersScenario } from './src/remindersScenario.ts';

registerRuntime(littleRuntime);
registerScenario(remindersScenario);
registerProperty(lateReminder);
