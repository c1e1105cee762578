#!/usr/bin/env python3
"""Trains @gated/train's next-character example in PyTorch, the same way gated does.

Reads a spec written by `node packages/train/scripts/next-char.mjs --torch` (texts, vocabulary,
hyperparameters, gated's initial weights, the sample order of every epoch) and prints a JSON
result: held-out accuracy and loss after the last epoch. Same model (nn.LSTM / nn.GRU +
nn.Linear over every step), same loss (F.cross_entropy, mean over all T·B predictions), same
update (torch.optim.Adam(lr), clip_grad_norm_(clipNorm) before each step), same batches.
See tools/train/README.md.

  /usr/bin/python3 tools/train/next_char_torch.py spec.json
"""
import json
import sys
import time

import torch
import torch.nn.functional as F


def dataset(text, vocabulary, steps):
    index = {ch: k for k, ch in enumerate(vocabulary)}
    ids = torch.tensor([index[ch] for ch in text])
    n = (len(text) - 1) // steps
    x = F.one_hot(ids[:n * steps].reshape(n, steps), len(vocabulary)).float()
    y = ids[1:n * steps + 1].reshape(n, steps)
    return x, y


def main():
    torch.set_num_threads(1)
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    s = spec['settings']
    V = len(spec['vocabulary'])
    module = {'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU}[s['cell']]
    rnn = module(V, s['hiddenSize'])  # time-major, like gated's default
    head = torch.nn.Linear(s['hiddenSize'], V)
    with torch.no_grad():
        for name, p in rnn.named_parameters():
            p.copy_(torch.tensor(spec['weights'][name]).reshape(p.shape))
        head.weight.copy_(torch.tensor(spec['head']['weight']).reshape(head.weight.shape))
        head.bias.copy_(torch.tensor(spec['head']['bias']))
    params = list(rnn.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=s['lr'])
    train_x, train_y = dataset(spec['texts']['train'], spec['vocabulary'], s['steps'])
    val_x, val_y = dataset(spec['texts']['validation'], spec['vocabulary'], s['steps'])

    def logits_of(x):  # x [B, T, V] → [T, B, V]
        out, _ = rnn(x.transpose(0, 1))
        return head(out)

    start = time.time()
    for order in spec['orders']:
        order = torch.tensor(order)
        for b in range(0, len(order), s['batchSize']):
            idx = order[b:b + s['batchSize']]
            logits = logits_of(train_x[idx])
            loss = F.cross_entropy(logits.reshape(-1, V), train_y[idx].transpose(0, 1).reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, s['clipNorm'])
            optimizer.step()
        last_loss = float(loss)
    seconds = time.time() - start
    with torch.no_grad():
        logits = logits_of(val_x)
        target = val_y.transpose(0, 1)
        loss = F.cross_entropy(logits.reshape(-1, V), target.reshape(-1))
        accuracy = (logits.argmax(-1) == target).float().mean()
    print(json.dumps({'torch': torch.__version__, 'accuracy': float(accuracy), 'loss': float(loss),
                      'lastBatchLoss': last_loss, 'trainSeconds': round(seconds, 2)}))


if __name__ == '__main__':
    main()
