#!/usr/bin/python3
"""Writes the ONNX import fixtures of @gated/onnx: small nn.LSTM / nn.GRU / nn.RNN models
exported by torch.onnx.export, each with a test input and PyTorch's outputs.

Usage (from the repository root):  /usr/bin/python3 tools/onnx-fixtures/make_onnx_fixtures.py
Writes packages/onnx/fixtures/<name>.onnx and <name>.json. Deterministic (fixed seeds).
"""
import json
import os
import sys

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'packages', 'onnx', 'fixtures')

INPUT_SIZE = 3
HIDDEN_SIZE = 5
STEPS = 4
BATCH = 2

# name, module class, module kwargs, export options
CASES = [
    ('lstm_2l', torch.nn.LSTM, {'num_layers': 2}, {'opset_version': 14}),
    ('lstm_2l_bi', torch.nn.LSTM, {'num_layers': 2, 'bidirectional': True}, {'opset_version': 14}),
    ('lstm_2l_bi_states', torch.nn.LSTM, {'num_layers': 2, 'bidirectional': True}, {'opset_version': 14, 'states': True}),
    ('lstm_batch_first_opset11', torch.nn.LSTM, {'batch_first': True}, {'opset_version': 11}),
    ('lstm_unfolded', torch.nn.LSTM, {'num_layers': 2}, {'opset_version': 13, 'do_constant_folding': False}),
    ('gru_2l', torch.nn.GRU, {'num_layers': 2}, {'opset_version': 14}),
    ('gru_2l_bi', torch.nn.GRU, {'num_layers': 2, 'bidirectional': True}, {'opset_version': 17}),
    ('gru_states_no_bias', torch.nn.GRU, {'bias': False}, {'opset_version': 14, 'states': True}),
    ('rnn_2l_relu', torch.nn.RNN, {'num_layers': 2, 'nonlinearity': 'relu'}, {'opset_version': 14}),
    ('rnn_bi_tanh', torch.nn.RNN, {'bidirectional': True}, {'opset_version': 14}),
]


def floats(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def tensor_json(t):
    return {'shape': list(t.shape), 'data': floats(t)}


def make(name, cls, kwargs, options):
    torch.manual_seed(sum(map(ord, name)))
    module = cls(INPUT_SIZE, HIDDEN_SIZE, **kwargs).eval()
    batch_first = kwargs.get('batch_first', False)
    directions = 2 if kwargs.get('bidirectional', False) else 1
    layers = kwargs.get('num_layers', 1)
    shape = (BATCH, STEPS, INPUT_SIZE) if batch_first else (STEPS, BATCH, INPUT_SIZE)
    x = torch.randn(*shape)
    lstm = cls is torch.nn.LSTM
    states = options.get('states', False)
    args = (x,)
    input_names = ['input']
    record = {'module': cls.__name__, 'kwargs': kwargs, 'input': tensor_json(x)}
    if states:
        h0 = torch.randn(layers * directions, BATCH, HIDDEN_SIZE)
        record['h0'] = tensor_json(h0)
        if lstm:
            c0 = torch.randn(layers * directions, BATCH, HIDDEN_SIZE)
            record['c0'] = tensor_json(c0)
            args = (x, (h0, c0))
            input_names += ['h0', 'c0']
        else:
            args = (x, h0)
            input_names += ['h0']
    with torch.no_grad():
        output, state = module(*args)
    h_n, c_n = state if lstm else (state, None)
    record['output'] = tensor_json(output)
    record['h_n'] = tensor_json(h_n)
    if c_n is not None:
        record['c_n'] = tensor_json(c_n)
    record['state_dict'] = {k: tensor_json(v) for k, v in module.state_dict().items()}
    output_names = ['output', 'h_n'] + (['c_n'] if lstm else [])
    torch.onnx.export(
        module,
        args,
        os.path.join(OUT, name + '.onnx'),
        opset_version=options['opset_version'],
        do_constant_folding=options.get('do_constant_folding', True),
        input_names=input_names,
        output_names=output_names,
    )
    with open(os.path.join(OUT, name + '.json'), 'w') as f:
        json.dump(record, f, separators=(',', ':'))
        f.write('\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    only = sys.argv[1:]
    for name, cls, kwargs, options in CASES:
        if not only or name in only:
            make(name, cls, kwargs, options)
            print('wrote', name)


if __name__ == '__main__':
    main()
