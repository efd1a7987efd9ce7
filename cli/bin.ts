#!/usr/bin/env node
// The installed `wake-sim` command (package.json `bin`). npm links it under another path, so main.ts's own test of
// "am I the script Node was started with" does not hold here; this file is only ever that script.
import { runCommandLine } from './main.ts';

await runCommandLine();
