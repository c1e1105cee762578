import { fromTfjsLayersModel, readSafetensors, type SafetensorsFile } from '@gated/core';
import type { LoadedModel } from '../models/loaded-model.js';

/** What a drop gave: a model ready to run, or a safetensors file that needs its config. */
export type DropResult =
  | { readonly kind: 'model'; readonly model: LoadedModel }
  | { readonly kind: 'safetensors'; readonly name: string; readonly file: SafetensorsFile };

const bytesOf = async (file: File) => new Uint8Array(await file.arrayBuffer());

async function fromOnnxFile(file: File): Promise<LoadedModel> {
  const { importOnnx } = await import('@gated/onnx');
  const { config, weights } = importOnnx(await bytesOf(file));
  return {
    id: `dropped:${file.name}`,
    title: `${file.name} (${config.cell.toUpperCase()}, from ONNX)`,
    source: `${file.name}, read with @gated/onnx importOnnx`,
    config: { ...config, batchFirst: false },
    weights,
    head: null,
    vocabulary: null,
    trained: null,
  };
}

/** model.json and its weight shards (matched by file name, in manifest order). */
async function fromTfjsLayersFiles(modelFile: File, files: readonly File[]): Promise<LoadedModel> {
  const modelJson = JSON.parse(await modelFile.text()) as {
    weightsManifest?: { paths: string[] }[];
  };
  const paths = (modelJson.weightsManifest ?? []).flatMap((group) => group.paths);
  const shards = await Promise.all(
    paths.map(async (path) => {
      const name = path.split('/').pop() ?? path;
      const shard = files.find((f) => f.name === name);
      if (!shard)
        throw new Error(`model.json lists the weight file '${name}': drop it together with model.json`);
      return shard.arrayBuffer();
    }),
  );
  const layers = fromTfjsLayersModel(modelJson, shards);
  if (layers.length === 0) throw new Error('model.json has no LSTM, GRU or SimpleRNN layer');
  const [layer] = layers;
  const others = layers.length > 1 ? `; showing the first of ${layers.length} recurrent layers` : '';
  const backwards = layer.goBackwards ? '; go_backwards: the layer reads the text from its end' : '';
  return {
    id: `dropped:${modelFile.name}:${layer.name}`,
    title: `${layer.name} (${layer.config.cell.toUpperCase()}, from ${modelFile.name})`,
    source: `${modelFile.name} + ${shards.length} weight file(s), read with core's fromTfjsLayersModel${others}${backwards}`,
    // Keras feeds batch-first; the page's input is [T, 1, I], so time-major is the same data.
    config: { ...layer.config, batchFirst: false },
    weights: layer.weights,
    head: null,
    vocabulary: null,
    trained: null,
  };
}

/** Reads dropped (or picked) files: an .onnx file, a .safetensors file, or a tfjs-layers
 * model.json with its weight files. */
export async function readDroppedFiles(files: readonly File[]): Promise<DropResult> {
  const onnx = files.find((f) => f.name.endsWith('.onnx'));
  if (onnx) return { kind: 'model', model: await fromOnnxFile(onnx) };
  const safetensors = files.find((f) => f.name.endsWith('.safetensors'));
  if (safetensors) {
    return { kind: 'safetensors', name: safetensors.name, file: readSafetensors(await bytesOf(safetensors)) };
  }
  const modelJson = files.find((f) => f.name.endsWith('.json'));
  if (modelJson) return { kind: 'model', model: await fromTfjsLayersFiles(modelJson, files) };
  throw new Error(
    `expected an .onnx file, a .safetensors file, or a model.json with its weight files; received ${files
      .map((f) => f.name)
      .join(', ')}`,
  );
}
