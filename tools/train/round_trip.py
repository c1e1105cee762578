#!/usr/bin/env python3
"""Loads what @gated/train saved into PyTorch modules, unchanged, and writes their outputs.

For every packages/train/fixtures/round-trip/<case>.rnn.safetensors: builds nn.LSTM / nn.GRU /
nn.RNN from the gated_config metadata, load_state_dict(strict=True) of the file as it is, an
nn.Linear from <case>.head.safetensors, runs <case>.input.safetensors (packed by its seq_lens)
and writes <case>.torch.json: output, h, c and the head's predictions (float32, as a user would
run it). packages/train/src/round-trip.test.ts compares gated's outputs with them.
See tools/train/README.md.
"""
import json
import os
import struct
import sys

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DIR = os.path.join(ROOT, 'packages', 'train', 'fixtures', 'round-trip')


def load_safetensors(path):
    """safetensors.torch.load_file, for an F32 file (the `safetensors` package is not in
    Debian; where it is installed, it is used instead and must agree)."""
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop('__metadata__', {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        assert info['dtype'] == 'F32', info
        start, end = info['data_offsets']
        t = torch.frombuffer(bytearray(data[base + start:base + end]), dtype=torch.float32)
        tensors[name] = t.reshape(info['shape']).clone()
    try:
        from safetensors.torch import load_file
        other = load_file(path)
        assert other.keys() == tensors.keys() and all(torch.equal(other[k], tensors[k]) for k in tensors)
    except ImportError:
        pass
    return tensors, metadata


def module_for(config):
    cell = config['cell']
    kwargs = dict(input_size=config['inputSize'], hidden_size=config['hiddenSize'],
                  num_layers=config['numLayers'], bias=config['bias'], batch_first=config['batchFirst'],
                  bidirectional=config['bidirectional'])
    if cell == 'lstm':
        assert not config['peephole'] and not config['coupledInputForget'], 'no PyTorch module'
        return torch.nn.LSTM(proj_size=config['projSize'], **kwargs)
    if cell == 'gru':
        assert config['resetAfter'], 'PyTorch GRU is resetAfter'
        return torch.nn.GRU(**kwargs)
    return torch.nn.RNN(nonlinearity=config['nonlinearity'], **kwargs)


def values(t):
    return {'shape': list(t.shape), 'data': [float(v) for v in t.detach().reshape(-1).tolist()]}


def run_case(name):
    state, metadata = load_safetensors(os.path.join(DIR, f'{name}.rnn.safetensors'))
    config = json.loads(metadata['gated_config'])
    readout = metadata['gated_readout']
    rnn = module_for(config)
    rnn.load_state_dict(state, strict=True)
    head_state, _ = load_safetensors(os.path.join(DIR, f'{name}.head.safetensors'))
    head = torch.nn.Linear(head_state['weight'].shape[1], head_state['weight'].shape[0])
    head.load_state_dict(head_state, strict=True)
    inputs, input_metadata = load_safetensors(os.path.join(DIR, f'{name}.input.safetensors'))
    x = inputs['x']
    lengths = torch.tensor(json.loads(input_metadata['seq_lens']))
    batch_first = config['batchFirst']
    T = x.shape[1] if batch_first else x.shape[0]
    with torch.no_grad():
        packed = pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=False)
        out, state_n = rnn(packed)
        output, _ = pad_packed_sequence(out, batch_first=batch_first, total_length=T)
        h, c = state_n if config['cell'] == 'lstm' else (state_n, None)
        D = 2 if config['bidirectional'] else 1
        features = output if readout == 'sequence' else torch.cat(list(h[-D:]), -1)
        predictions = head(features)
    result = {'torch': torch.__version__, 'output': values(output), 'h': values(h),
              'predictions': values(predictions)}
    if c is not None:
        result['c'] = values(c)
    with open(os.path.join(DIR, f'{name}.torch.json'), 'w') as f:
        json.dump(result, f)
        f.write('\n')
    print(f'{name}: {type(rnn).__name__} and nn.Linear loaded unchanged; wrote {name}.torch.json')


def main():
    torch.set_num_threads(1)
    names = sys.argv[1:] or sorted(f[:-len('.rnn.safetensors')] for f in os.listdir(DIR)
                                   if f.endswith('.rnn.safetensors'))
    for name in names:
        run_case(name)


if __name__ == '__main__':
    main()
