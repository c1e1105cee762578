/** Colour scales readable with every common colour-vision deficiency: viridis for values in
 * [0, 1] (gates), and a blue–white–orange diverging scale for signed values (candidates, c, h). */
export type Rgb = readonly [number, number, number];

const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [181, 222, 43],
  [253, 231, 37],
];

const BLUE_ORANGE: readonly Rgb[] = [
  [33, 102, 172],
  [103, 169, 207],
  [209, 229, 240],
  [247, 247, 247],
  [254, 224, 182],
  [241, 163, 64],
  [179, 88, 6],
];

function interpolate(stops: readonly Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isNaN(t) ? 0.5 : t)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x));
  const f = x - k;
  const [a, b] = [stops[k], stops[k + 1]];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** A scale maps a value to a colour; `domain` is what the legend prints. */
export interface ColourScale {
  readonly kind: 'sequential' | 'diverging';
  readonly domain: readonly [number, number];
  colour(value: number): Rgb;
  /** CSS gradient for the legend, low to high. */
  readonly gradient: string;
}

const css = ([r, g, b]: Rgb) => `rgb(${Math.round(r)} ${Math.round(g)} ${Math.round(b)})`;
const gradientOf = (stops: readonly Rgb[]) => `linear-gradient(to right, ${stops.map(css).join(', ')})`;

export function sequentialScale(min = 0, max = 1): ColourScale {
  return {
    kind: 'sequential',
    domain: [min, max],
    colour: (v) => interpolate(VIRIDIS, (v - min) / (max - min || 1)),
    gradient: gradientOf(VIRIDIS),
  };
}

/** Symmetric around 0: white at 0, blue for −limit, orange for +limit. */
export function divergingScale(limit: number): ColourScale {
  const l = limit > 0 && Number.isFinite(limit) ? limit : 1;
  return {
    kind: 'diverging',
    domain: [-l, l],
    colour: (v) => interpolate(BLUE_ORANGE, (v / l + 1) / 2),
    gradient: gradientOf(BLUE_ORANGE),
  };
}

export const cssColour = css;

/** Black or white text, whichever reads better on `rgb`. */
export function textOn([r, g, b]: Rgb): string {
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? '#111' : '#fff';
}
