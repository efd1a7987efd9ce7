/**
 * Trace events one run may keep when its scenario's budget names no limit of its own: past it the run ends (`LoopEnd`
 * `trace-budget`) and the `hang` property reports it, as it reports an exhausted step budget.
 *
 * Why a limit on events and not only on steps: a run that spins (a runtime that never consumes its inputs, woken again
 * and again) keeps a trace, and the composed model that follows it keeps a wake stream, that grow with every wake. The
 * step budget alone let such a run (the mutant `v04-ack-at-claimed-offset`, hardened, `--faults all`, seed 1 run 1:
 * about 7,700 wakes and 277,000 events in its 100,000 steps) exhaust the heap while the model followed it, and with
 * the model's memo bounded it still took more than five minutes (following it costs time quadratic in its wakes). The
 * events are what the run keeps, in the trace and through the model, so they are what is bounded.
 *
 * Why 50,000: ordinary runs keep far fewer. In 3,000 random runs of seed 1 of the hardened v0.4 runtime under
 * `--faults all` the most was 3,036 events (1,633 steps); in every run of `npm start` (exploration and shrinking),
 * 1,107; v0.4 under `--faults all` and v0.6 under its CI configuration, 1,000 runs each, 1,504 and 1,038; hardened with
 * `--streams real` under `--faults all`, 300 runs, 2,578. No clean run comes within 16 times of the limit. The spinning
 * run above, cut off here (about 1,400 wakes, 18,500 steps), is explored in about 9 s at 600 MB peak RSS.
 */
export const DEFAULT_MAX_TRACE_EVENTS = 50_000;
