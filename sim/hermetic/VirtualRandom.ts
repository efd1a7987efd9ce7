import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

const BYTE_MASK = 0xff;
const BITS_PER_BYTE = 8;
const BYTES_PER_DRAW = 4;
const UUID_BYTES = 16;
/** Byte 6 carries the version (4: random), byte 8 the variant (10xx: RFC 9562). */
const UUID_VERSION_BYTE = 6;
const UUID_VARIANT_BYTE = 8;

/**
 * The randomness of a hermetic run: `Math.random`, `crypto.randomUUID` and `crypto.getRandomValues` drawn from one
 * seeded generator (pure-rand's xoroshiro128+), created on first use. It is not the choice source: drawing from it
 * records nothing, so it never changes a run's choices, and the same run draws the same values.
 */
export class VirtualRandom {
  private generator: RandomGenerator | undefined;

  constructor(private readonly seed: number) {}

  /** A double in [0, 1), like `Math.random`. */
  random(): number {
    return uniformFloat64(this.rng());
  }

  /** Fills an integer typed array with random bytes, like `crypto.getRandomValues`, and returns it. */
  fill<T extends ArrayBufferView>(view: T): T {
    if (!ArrayBuffer.isView(view) || view instanceof DataView || view instanceof Float32Array || view instanceof Float64Array) {
      throw new TypeError('getRandomValues: the argument must be an integer-typed array');
    }
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const rng = this.rng();
    for (let index = 0; index < bytes.length; index += BYTES_PER_DRAW) {
      let value = rng.next();
      for (let byte = index; byte < Math.min(index + BYTES_PER_DRAW, bytes.length); byte += 1) {
        bytes[byte] = value & BYTE_MASK;
        value >>>= BITS_PER_BYTE;
      }
    }
    return view;
  }

  /** A version-4 UUID, like `crypto.randomUUID`. */
  uuid(): string {
    const bytes = this.fill(new Uint8Array(UUID_BYTES));
    bytes[UUID_VERSION_BYTE] = (bytes[UUID_VERSION_BYTE]! & 0x0f) | 0x40;
    bytes[UUID_VARIANT_BYTE] = (bytes[UUID_VARIANT_BYTE]! & 0x3f) | 0x80;
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  private rng(): RandomGenerator {
    this.generator ??= xoroshiro128plus(this.seed);
    return this.generator;
  }
}
