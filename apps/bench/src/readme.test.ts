import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAGS, flagsMarkdown, usage, wrap } from './flags.js';
import { renderReadme } from './readme.js';
import { RESULT_FIELDS } from './report/json.js';
import { DEFAULTS } from './settings.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has the flag and JSON tables generated from the --help and --json definitions (pnpm --filter @gated/bench readme)', () => {
    expect(renderReadme(readme)).toBe(readme);
  });

  it('lists every flag with the same text as --help', () => {
    const help = usage(10_000);
    for (const spec of FLAGS) {
      expect(readme).toContain(`\`${spec.flag}`);
      expect(help).toContain(spec.help);
    }
    expect(flagsMarkdown().split('\n')).toHaveLength(FLAGS.length + 2);
  });

  it('documents every JSON row field, the paired ratio and the build among them', () => {
    for (const field of Object.keys(RESULT_FIELDS)) expect(readme).toContain(`| \`${field}\` |`);
    for (const field of ['median', 'p10', 'p90', 'pairs', 'build'])
      expect(readme).toContain(`| \`${field}\` |`);
  });

  it('states the quick-mode counts that the code uses', () => {
    const quick = FLAGS.find((f) => f.flag === '--quick')!.help;
    expect(quick).toContain(`${DEFAULTS.quick.repeats} timed runs, ${DEFAULTS.quick.pairs} pairs`);
    expect(readme).toContain(quick);
    const { full, quick: q } = DEFAULTS;
    expect(readme).toContain(
      `averaged over ${full.stepsPerRun} steps per run, ${q.stepsPerRun} in quick mode`,
    );
  });

  it('refuses a README without the markers, instead of dropping a section', () => {
    expect(() => renderReadme('# bench\n')).toThrow(/<!-- generated:flags -->/);
  });
});

describe('usage', () => {
  it('wraps the help text under its flag column', () => {
    const lines = usage(80).split('\n');
    expect(lines[0]).toBe('usage: gated-bench [options]');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines.some((l) => l.startsWith('  -h, --help'))).toBe(true);
  });

  it('wraps words greedily', () => {
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrap('a-very-long-word x', 4)).toEqual(['a-very-long-word', 'x']);
  });
});
