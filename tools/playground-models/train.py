#!/usr/bin/env python3
"""Trains the playground's two models: a small LSTM and a small GRU that track bracket depth.

Task (the data is generated here, seeded): the input is a string over '(' ')' and '.' (any other
character is read as '.'). After every character the model says how deep the brackets are open
(0-4), or 'broken' once a ')' has closed more than was opened (it stays broken for the rest of
the string). A person can follow the memory: the depth is a counter the cell has to keep, and
'broken' is a flag it has to latch.

Each model is an nn.LSTM / nn.GRU (one layer, 3 inputs, 8 hidden units) followed by a linear
head (8 -> 6 classes) applied to h at every step. Saved as safetensors (F32; PyTorch state_dict
names: rnn.weight_ih_l0 ..., head.weight, head.bias) with a JSON sidecar: the gated config, the
task, the held-out accuracy measured here, and one example sequence with PyTorch's f32 outputs
(the playground's e2e test checks every backend against them).

    /usr/bin/python3 tools/playground-models/train.py   # about a minute on 2 cores

Deterministic: fixed seeds, one thread. Output: apps/playground/public/models/.
"""
import json
import random
import struct
import sys
from pathlib import Path

import torch
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)

VOCAB = ['(', ')', '.']
CLASSES = ['0', '1', '2', '3', '4', 'broken']
MAX_DEPTH = 4
HIDDEN = 8
OUT = Path(__file__).resolve().parents[2] / 'apps' / 'playground' / 'public' / 'models'


def labels_of(text):
    """Depth after each character, or 'broken' (5) from the first unmatched ')' on."""
    depth, broken, out = 0, False, []
    for ch in text:
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
        if depth < 0:
            broken = True
        out.append(5 if broken else min(depth, MAX_DEPTH))
    return out


def random_text(rng, length, break_it):
    """A random walk over depths 0..MAX_DEPTH with filler; `break_it` closes once below zero."""
    depth, chars = 0, []
    break_at = rng.randrange(1, length) if break_it else -1
    for k in range(length):
        if k == break_at:
            chars.append(')' * (depth + 1))  # one more ')' than is open: broken from here on
            depth = -1
            continue
        r = rng.random()
        if r < 0.25:
            chars.append('.')
        elif (r < 0.65 and depth < MAX_DEPTH) or depth <= 0 and not break_it:
            chars.append('(')
            depth += 1
        else:
            chars.append(')')
            depth -= 1
    return ''.join(chars)[:length]


def dataset(rng, count, min_len, max_len):
    return [random_text(rng, rng.randint(min_len, max_len), rng.random() < 0.2) for _ in range(count)]


def encode(texts):
    """One-hot [T, B, 3] (time-major, as gated) and labels [T, B], padded with -1."""
    T = max(len(t) for t in texts)
    x = torch.zeros(T, len(texts), len(VOCAB))
    y = torch.full((T, len(texts)), -1, dtype=torch.long)
    for b, text in enumerate(texts):
        for t, ch in enumerate(text):
            x[t, b, VOCAB.index(ch) if ch in VOCAB else 2] = 1
        y[: len(text), b] = torch.tensor(labels_of(text))
    return x, y


class Tracker(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.rnn = (nn.LSTM if cell == 'lstm' else nn.GRU)(len(VOCAB), HIDDEN)
        self.head = nn.Linear(HIDDEN, len(CLASSES))

    def forward(self, x):
        h, _ = self.rnn(x)
        return h, self.head(h)


def accuracy(model, texts):
    """Per-step accuracy and whole-string accuracy (every step right)."""
    with torch.no_grad():
        x, y = encode(texts)
        _, logits = model(x)
        right = (logits.argmax(-1) == y) | (y < 0)
        steps = ((logits.argmax(-1) == y) & (y >= 0)).sum().item() / (y >= 0).sum().item()
        return round(steps, 6), round(right.all(0).float().mean().item(), 6)


def train(cell, train_texts):
    model = Tracker(cell)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-1)
    rng = random.Random(1)
    for step in range(1500):
        x, y = encode(rng.sample(train_texts, 64))
        _, logits = model(x)
        loss = loss_fn(logits.reshape(-1, len(CLASSES)), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if step == 1000:
            for group in optimizer.param_groups:
                group['lr'] = 0.005
        if step % 250 == 0:
            print(f'{cell} step {step} loss {loss.item():.4f}', flush=True)
    return model


def write_safetensors(path, tensors, metadata):
    """The safetensors format by hand (the Python package may be absent): 8-byte little-endian
    header length, a JSON header of dtype / shape / data_offsets, then raw little-endian F32."""
    header, blobs, offset = {'__metadata__': metadata}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    path.write_bytes(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    data_rng = random.Random(0)
    train_texts = dataset(data_rng, 4000, 4, 40)
    held_out = dataset(random.Random(12345), 2000, 4, 40)
    longer = dataset(random.Random(54321), 500, 41, 80)
    seen = set(train_texts)
    held_out = [t for t in held_out if t not in seen]
    example = '(()(.)).((()))..)(('
    index = []
    for cell in ('lstm', 'gru'):
        model = train(cell, train_texts)
        steps, strings = accuracy(model, held_out)
        long_steps, long_strings = accuracy(model, longer)
        print(f'{cell}: held-out per-step {steps:.6f}, whole strings {strings:.6f}; '
              f'longer (41-80) per-step {long_steps:.6f}, whole strings {long_strings:.6f}')
        name = f'brackets-{cell}'
        state = model.state_dict()
        write_safetensors(OUT / f'{name}.safetensors', state, {'format': 'pt', 'task': 'bracket depth'})
        x, _ = encode([example])
        with torch.no_grad():
            h, logits = model(x)
        sidecar = {
            'name': name,
            'title': f'{cell.upper()} bracket-depth tracker',
            'config': {'cell': cell, 'inputSize': len(VOCAB), 'hiddenSize': HIDDEN},
            'weightsPrefix': 'rnn.',
            'head': {'weight': 'head.weight', 'bias': 'head.bias'},
            'task': {
                'name': 'bracket depth',
                'description': (
                    "After every character, how deep the brackets are open (0-4), or 'broken' from "
                    "the first ')' that closes more than was opened. '(' opens, ')' closes, any "
                    'other character is filler.'
                ),
                'vocabulary': VOCAB,
                'otherCharacter': '.',
                'classes': CLASSES,
                'trainedOn': 'strings of 4-40 characters, depth at most 4, one in five broken',
            },
            'accuracy': {
                'heldOutStrings': len(held_out),
                'perStep': steps,
                'wholeString': strings,
                'longerStrings': len(longer),
                'longerPerStep': long_steps,
                'longerWholeString': long_strings,
                'lengths': '4-40 held-out; 41-80 longer than any in training',
            },
            'example': {
                'text': example,
                'output': [round(v, 9) for v in h[:, 0, :].flatten().tolist()],
                'logits': [round(v, 9) for v in logits[:, 0, :].flatten().tolist()],
                'note': "PyTorch f32: output = the rnn's h per step [T, H], logits = head(h) [T, classes]",
            },
            'trainedWith': f'PyTorch {torch.__version__}, tools/playground-models/train.py',
        }
        (OUT / f'{name}.json').write_text(json.dumps(sidecar, indent=1) + '\n')
        index.append(name)
    (OUT / 'index.json').write_text(json.dumps({'models': index}) + '\n')


if __name__ == '__main__':
    sys.exit(main())
