#!/usr/bin/env python3
"""Writes packages/train/fixtures/optimizers.json: what PyTorch's optimizers, clip_grad_norm_
and losses compute on fixed numbers, for @gated/train's tests (optimizers.test.ts,
clip-grad-norm.test.ts, losses.test.ts). See tools/train/README.md.

Run with Debian's python3-torch: /usr/bin/python3 tools/train/make_optimizer_fixtures.py
"""
import json
import os

import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'packages', 'train', 'fixtures', 'optimizers.json')


def values(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def f32(shape, generator, scale=1.0):
    return ((torch.rand(shape, generator=generator) * 2 - 1) * scale).to(torch.float32)


OPTIMIZERS = [
    ('sgd', {'lr': 0.1}),
    ('sgd', {'lr': 0.05, 'momentum': 0.9}),
    ('sgd', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.1, 'weight_decay': 0.01}),
    ('sgd', {'lr': 0.05, 'momentum': 0.8, 'nesterov': True, 'weight_decay': 0.001}),
    ('adam', {}),
    ('adam', {'lr': 0.01, 'betas': (0.8, 0.99), 'eps': 1e-6, 'weight_decay': 0.1}),
    ('adamW', {}),
    ('adamW', {'lr': 0.02, 'betas': (0.85, 0.95), 'eps': 1e-7, 'weight_decay': 0.05}),
]
CLASSES = {'sgd': torch.optim.SGD, 'adam': torch.optim.Adam, 'adamW': torch.optim.AdamW}
CAMEL = {'lr': 'lr', 'momentum': 'momentum', 'dampening': 'dampening', 'weight_decay': 'weightDecay',
         'nesterov': 'nesterov', 'betas': 'betas', 'eps': 'eps'}


def optimizer_case(kind, options, seed):
    generator = torch.Generator().manual_seed(seed)
    params = {'a': f32((3, 4), generator), 'b': f32((5,), generator)}
    tensors = {name: torch.nn.Parameter(value.clone()) for name, value in params.items()}
    optimizer = CLASSES[kind](list(tensors.values()), **options)
    steps = []
    for _ in range(4):
        grads = {name: f32(value.shape, generator, 2.0) for name, value in params.items()}
        for name, p in tensors.items():
            p.grad = grads[name].clone()
        optimizer.step()
        steps.append({'gradients': {n: values(g) for n, g in grads.items()},
                      'parameters': {n: values(p) for n, p in tensors.items()}})
    return {
        'optimizer': kind,
        'options': {CAMEL[k]: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()},
        'initial': {n: values(v) for n, v in params.items()},
        'steps': steps,
    }


def clip_case(max_norm, norm_type, scale, seed):
    generator = torch.Generator().manual_seed(seed)
    tensors = [torch.nn.Parameter(torch.zeros(shape)) for shape in [(2, 3), (4,), (1,)]]
    grads = [f32(p.shape, generator, scale) for p in tensors]
    for p, g in zip(tensors, grads):
        p.grad = g.clone()
    norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm, norm_type)
    return {'maxNorm': max_norm, 'normType': 'inf' if norm_type == float('inf') else norm_type,
            'gradients': [values(g) for g in grads], 'norm': float(norm),
            'clipped': [values(p.grad) for p in tensors]}


def loss_cases():
    generator = torch.Generator().manual_seed(7)
    logits = f32((3, 4, 5), generator, 3.0)
    targets = torch.randint(0, 5, (3, 4), generator=generator)
    targets[1, 2] = -100
    ce = F.cross_entropy(logits.reshape(-1, 5), targets.reshape(-1))
    pred = f32((4, 3), generator)
    target = f32((4, 3), generator)
    mse = F.mse_loss(pred, target)
    return {
        'crossEntropy': {'logits': {'shape': [3, 4, 5], 'data': values(logits)},
                         'targets': [int(v) for v in targets.reshape(-1).tolist()], 'loss': float(ce)},
        'meanSquaredError': {'predictions': {'shape': [4, 3], 'data': values(pred)},
                             'targets': {'shape': [4, 3], 'data': values(target)}, 'loss': float(mse)},
    }


def main():
    torch.set_num_threads(1)
    fixture = {
        'torch': torch.__version__,
        'optimizers': [optimizer_case(kind, options, 100 + k) for k, (kind, options) in enumerate(OPTIMIZERS)],
        'clip': [clip_case(1.0, 2.0, 2.0, 1), clip_case(100.0, 2.0, 2.0, 2), clip_case(0.5, float('inf'), 3.0, 3),
                 clip_case(0.3, 1.0, 1.0, 4)],
        'losses': loss_cases(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(fixture, f)
        f.write('\n')
    print(f'wrote {os.path.relpath(OUT, ROOT)}')


if __name__ == '__main__':
    main()
