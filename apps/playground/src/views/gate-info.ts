import type { CurveName } from '../run/preactivation.js';

/** What a traced value is, for the views: its symbol, name, activation, range and a short,
 * exact explanation for someone who has just read about LSTMs and GRUs. */
export interface GateInfo {
  readonly key: string;
  readonly name: string;
  readonly curve: CurveName | null;
  readonly range: 'unit' | 'signed' | 'unbounded';
  readonly explanation: string;
}

const LSTM: readonly GateInfo[] = [
  {
    key: 'f',
    name: 'forget gate',
    curve: 'sigmoid',
    range: 'unit',
    explanation:
      'f = σ(W_if·x + b_if + W_hf·h + b_hf), one number in (0, 1) per unit: how much of the old cell state c(t−1) is kept. 1 keeps it all, 0 wipes it.',
  },
  {
    key: 'i',
    name: 'input gate',
    curve: 'sigmoid',
    range: 'unit',
    explanation: 'i = σ(…), in (0, 1): how much of the candidate g is written into the cell state.',
  },
  {
    key: 'g',
    name: 'candidate',
    curve: 'tanh',
    range: 'signed',
    explanation:
      'g = tanh(…), in (−1, 1): the value proposed for writing, computed from x(t) and h(t−1). The cell update is c(t) = f ⊙ c(t−1) + i ⊙ g.',
  },
  {
    key: 'o',
    name: 'output gate',
    curve: 'sigmoid',
    range: 'unit',
    explanation:
      'o = σ(…), in (0, 1): how much of tanh(c(t)) is shown as h(t) = o ⊙ tanh(c(t)). A unit can remember (large c) without showing it (o ≈ 0).',
  },
  {
    key: 'c',
    name: 'cell state',
    curve: null,
    range: 'unbounded',
    explanation:
      'c(t) = f ⊙ c(t−1) + i ⊙ g: the memory. Not squashed, so it can count: watch a unit rise with each “(” and fall with each “)”.',
  },
  {
    key: 'h',
    name: 'hidden state h',
    curve: null,
    range: 'signed',
    explanation: 'h(t) = o ⊙ tanh(c(t)): what the next step and the read-out see.',
  },
];

const GRU: readonly GateInfo[] = [
  {
    key: 'r',
    name: 'reset gate',
    curve: 'sigmoid',
    range: 'unit',
    explanation:
      'r = σ(…), in (0, 1): how much of the past the candidate sees: n = tanh(W_in·x + b_in + r ⊙ (W_hn·h(t−1) + b_hn)). r = 0: the candidate ignores h(t−1).',
  },
  {
    key: 'z',
    name: 'update gate',
    curve: 'sigmoid',
    range: 'unit',
    explanation:
      'z = σ(…), in (0, 1): mixes old and new, h(t) = (1 − z) ⊙ n + z ⊙ h(t−1). z = 1 keeps the old h, z = 0 takes the candidate.',
  },
  {
    key: 'n',
    name: 'candidate',
    curve: 'tanh',
    range: 'signed',
    explanation: 'n = tanh(…), in (−1, 1): the new value proposed for h, from x(t) and the reset past.',
  },
  {
    key: 'h',
    name: 'hidden state h',
    curve: null,
    range: 'signed',
    explanation: 'h(t) = (1 − z) ⊙ n + z ⊙ h(t−1): the GRU’s only state, and its output.',
  },
];

const RNN: readonly GateInfo[] = [
  {
    key: 'h',
    name: 'hidden state h',
    curve: 'tanh',
    range: 'signed',
    explanation: 'h(t) = tanh(W_ih·x + b_ih + W_hh·h(t−1) + b_hh): no gates, one squashed state.',
  },
];

export function gatesOf(cell: string): readonly GateInfo[] {
  return cell === 'lstm' ? LSTM : cell === 'gru' ? GRU : RNN;
}
