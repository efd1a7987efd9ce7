import type { DeferralValue } from '../config/v06Switches.ts';
import type { DeferredWakes } from './DeferredWakes.ts';
import { FifoDeferral } from './FifoDeferral.ts';
import { OneSlotDeferral } from './OneSlotDeferral.ts';

/** The deferral store the `deferral` switch selects. */
export function deferralFor<T>(value: DeferralValue): DeferredWakes<T> {
  return value === 'fifo' ? new FifoDeferral<T>() : new OneSlotDeferral<T>();
}
