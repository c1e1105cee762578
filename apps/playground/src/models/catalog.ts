import { readSafetensors, weightsFromSafetensors } from '@gated/core';
import type { LinearHead, LoadedModel, PlaygroundConfig, TrainedFacts } from './loaded-model.js';

/** The sidecar the training script writes next to each safetensors file. */
interface Sidecar extends TrainedFacts {
  readonly name: string;
  readonly title: string;
  readonly config: PlaygroundConfig;
  readonly weightsPrefix: string;
  readonly head: { weight: string; bias: string };
  readonly task: TrainedFacts['task'] & { classes: string[] };
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

/** One bundled model: its sidecar and weights, read with core's safetensors reader. */
async function loadBundled(base: string, name: string): Promise<LoadedModel> {
  const sidecar = (await (await fetchOk(`${base}${name}.json`)).json()) as Sidecar;
  const bytes = new Uint8Array(await (await fetchOk(`${base}${name}.safetensors`)).arrayBuffer());
  const file = readSafetensors(bytes);
  const weights = weightsFromSafetensors(sidecar.config, file, { prefix: sidecar.weightsPrefix });
  const head: LinearHead = {
    weight: file.tensors[sidecar.head.weight].data,
    bias: file.tensors[sidecar.head.bias].data,
    classes: sidecar.task.classes,
  };
  return {
    id: sidecar.name,
    title: sidecar.title,
    source: `models/${name}.safetensors (trained by tools/playground-models/train.py)`,
    config: sidecar.config,
    weights,
    head,
    vocabulary: sidecar.task.vocabulary,
    trained: sidecar,
  };
}

/** Every model listed in models/index.json, relative to the page. */
export async function loadCatalog(base = 'models/'): Promise<LoadedModel[]> {
  const index = (await (await fetchOk(`${base}index.json`)).json()) as { models: string[] };
  return Promise.all(index.models.map((name) => loadBundled(base, name)));
}
