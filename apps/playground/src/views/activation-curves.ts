import { el, formatNumber } from '../dom.js';
import { type CurveName, inverseOf, sigmoid } from '../run/preactivation.js';
import type { Series } from '../run/trace-series.js';
import type { GateInfo } from './gate-info.js';

const WIDTH = 320;
const HEIGHT = 190;
const X_LIMIT = 8;
/** Marker shape and colour per gate (Okabe–Ito colours; the shape alone tells them apart). */
const MARKS: Record<string, { shape: 'circle' | 'square' | 'triangle' | 'diamond'; colour: string }> = {
  i: { shape: 'circle', colour: '#0072B2' },
  r: { shape: 'circle', colour: '#0072B2' },
  f: { shape: 'square', colour: '#D55E00' },
  z: { shape: 'square', colour: '#D55E00' },
  o: { shape: 'triangle', colour: '#009E73' },
  g: { shape: 'diamond', colour: '#CC79A7' },
  n: { shape: 'diamond', colour: '#CC79A7' },
  h: { shape: 'diamond', colour: '#CC79A7' },
};
const SHAPE_TEXT = { circle: '●', square: '■', triangle: '▲', diamond: '◆' };

function mark(ctx: CanvasRenderingContext2D, shape: string, x: number, y: number, size: number): void {
  ctx.beginPath();
  if (shape === 'circle') ctx.arc(x, y, size, 0, 2 * Math.PI);
  else if (shape === 'square') ctx.rect(x - size, y - size, 2 * size, 2 * size);
  else if (shape === 'triangle') {
    ctx.moveTo(x, y - size * 1.2);
    ctx.lineTo(x + size * 1.1, y + size);
    ctx.lineTo(x - size * 1.1, y + size);
  } else {
    ctx.moveTo(x, y - size * 1.3);
    ctx.lineTo(x + size, y);
    ctx.lineTo(x, y + size * 1.3);
    ctx.lineTo(x - size, y);
  }
  ctx.closePath();
  ctx.fill();
}

/** One activation's curve with this sequence's pre-activations marked on it: every step faint,
 * the selected step solid. Pre-activations come from inverting the activation (see
 * run/preactivation.ts); saturated ones are pinned to the edge of the axis. */
export function drawCurve(
  canvas: HTMLCanvasElement,
  curve: CurveName,
  gates: readonly { info: GateInfo; series: Series }[],
  selected: number,
): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = WIDTH * ratio;
  canvas.height = HEIGHT * ratio;
  canvas.style.width = `${WIDTH}px`;
  canvas.style.height = `${HEIGHT}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const f = curve === 'sigmoid' ? sigmoid : Math.tanh;
  const [yLow, yHigh] = curve === 'sigmoid' ? [0, 1] : [-1, 1];
  const px = (a: number) =>
    24 + ((Math.max(-X_LIMIT, Math.min(X_LIMIT, a)) + X_LIMIT) / (2 * X_LIMIT)) * (WIDTH - 34);
  const py = (y: number) => HEIGHT - 22 - ((y - yLow) / (yHigh - yLow)) * (HEIGHT - 36);
  ctx.clearRect(0, 0, WIDTH, HEIGHT);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  ctx.strokeStyle = '#bbb';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(px(-X_LIMIT), py(0));
  ctx.lineTo(px(X_LIMIT), py(0));
  ctx.moveTo(px(0), py(yLow));
  ctx.lineTo(px(0), py(yHigh));
  ctx.stroke();
  ctx.fillStyle = '#333';
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  for (const a of [-8, -4, 0, 4, 8]) ctx.fillText(String(a), px(a), HEIGHT - 8);
  ctx.textAlign = 'left';
  ctx.fillText(String(yHigh), 2, py(yHigh) + 4);
  ctx.fillText(String(yLow), 2, py(yLow) + 4);
  ctx.strokeStyle = '#222';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let k = 0; k <= 200; k++) {
    const a = -X_LIMIT + (2 * X_LIMIT * k) / 200;
    if (k === 0) ctx.moveTo(px(a), py(f(a)));
    else ctx.lineTo(px(a), py(f(a)));
  }
  ctx.stroke();
  const inverse = inverseOf(curve);
  for (const pass of ['all', 'selected'] as const) {
    for (const { info, series } of gates) {
      const style = MARKS[info.key] ?? MARKS.g;
      ctx.fillStyle = style.colour;
      ctx.globalAlpha = pass === 'all' ? 0.18 : 1;
      const from = pass === 'all' ? 0 : selected;
      const to = pass === 'all' ? series.steps : selected + 1;
      for (let t = from; t < to; t++) {
        for (let u = 0; u < series.units; u++) {
          const y = series.values[t * series.units + u];
          mark(ctx, style.shape, px(inverse(y)), py(y), pass === 'all' ? 2.5 : 4);
        }
      }
    }
  }
  ctx.globalAlpha = 1;
  canvas.setAttribute('aria-label', describeCurve(curve, gates, selected));
}

function describeCurve(
  curve: CurveName,
  gates: readonly { info: GateInfo; series: Series }[],
  selected: number,
): string {
  const inverse = inverseOf(curve);
  const parts = gates.map(({ info, series }) => {
    const pre = Array.from(
      series.values.subarray(selected * series.units, (selected + 1) * series.units),
      (y) => formatNumber(inverse(y), 2),
    );
    return `${info.key} pre-activations ${pre.join(', ')}`;
  });
  return `${curve} curve from −8 to 8; at step ${selected + 1}: ${parts.join('; ')}`;
}

/** The legend of the marks: shape, colour and gate. */
export function curveLegend(gates: readonly GateInfo[]): HTMLElement {
  return el(
    'p',
    { class: 'curve-legend' },
    ...gates.map((info) => {
      const style = MARKS[info.key] ?? MARKS.g;
      const swatch = el('span', { 'aria-hidden': 'true' }, SHAPE_TEXT[style.shape]);
      swatch.style.color = style.colour;
      return el('span', { class: 'curve-key' }, swatch, ` ${info.key} ${info.name}`);
    }),
  );
}
