import type { Real } from './real.js';

type Buffers<Names> = { [Name in keyof Names]: Real };
type Lengths<B> = { readonly [Name in keyof B]: number };
type Constructors<B> = { readonly [Name in keyof B]: new (length: number) => B[Name] };

/** Named scratch buffers grown on demand: `reserve` makes each at least the given length (a
 * new zeroed buffer when it is shorter, the old one kept otherwise), `release` drops them all.
 * Callers grow them before a loop starts so the loop itself never allocates. */
export type Scratch<B extends Buffers<B>> = B & {
  reserve(lengths: Lengths<B>): void;
  release(): void;
};

/** Empty scratch buffers, each of its own array type (`Float32Array`, `Float64Array`). */
export function createScratch<B extends Buffers<B>>(kinds: Constructors<B>): Scratch<B> {
  const names = Object.keys(kinds) as (keyof B)[];
  const buffers = {} as B;
  const release = (): void => {
    for (const name of names) buffers[name] = new kinds[name](0);
  };
  release();
  const reserve = (lengths: Lengths<B>): void => {
    for (const name of names) {
      if (buffers[name].length < lengths[name]) buffers[name] = new kinds[name](lengths[name]);
    }
  };
  return Object.assign(buffers, { reserve, release });
}
