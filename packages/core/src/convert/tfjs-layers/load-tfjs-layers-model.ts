import { describeValue, GatedError, quote } from '../../errors.js';
import { fromTfjsLayersModel, type KerasModelLayer } from './from-tfjs-layers-model.js';

export interface LoadTfjsLayersModelOptions {
  /** The fetch to use for URLs (default: globalThis.fetch). */
  readonly fetch?: (
    url: string,
  ) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
}

/** Node's fs and url modules, imported by specifiers bundlers skip (a browser build never needs
 * them: there every source is a URL). */
async function nodeModules() {
  const fs: string = 'node:fs/promises';
  const url: string = 'node:url';
  const [{ readFile }, { pathToFileURL, fileURLToPath }] = await Promise.all([
    import(/* webpackIgnore: true */ /* @vite-ignore */ fs) as Promise<typeof import('node:fs/promises')>,
    import(/* webpackIgnore: true */ /* @vite-ignore */ url) as Promise<typeof import('node:url')>,
  ]);
  return { readFile, pathToFileURL, fileURLToPath };
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Reads one resource: a file (Node: a path or a file: URL) or anything fetch reads. */
type Reader = (location: string) => Promise<ArrayBuffer>;

async function readerFor(
  source: string,
  options: LoadTfjsLayersModelOptions,
): Promise<{ read: Reader; base: string }> {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(source)?.[0].toLowerCase();
  if (isNode() && (scheme === undefined || scheme === 'file:' || /^[a-z]:$/i.test(scheme ?? ''))) {
    const { readFile, pathToFileURL, fileURLToPath } = await nodeModules();
    const base = scheme === 'file:' ? source : pathToFileURL(source).href;
    return {
      base,
      read: async (location) => {
        const file = await readFile(fileURLToPath(location));
        return file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
      },
    };
  }
  const fetcher = options.fetch ?? (globalThis.fetch as LoadTfjsLayersModelOptions['fetch']);
  if (typeof fetcher !== 'function') {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `source: expected a fetch to read ${quote(source)}, received none (pass options.fetch)`,
    );
  }
  const base =
    typeof location !== 'undefined' && scheme === undefined ? new URL(source, location.href).href : source;
  return {
    base,
    read: async (url) => {
      const response = await fetcher(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.arrayBuffer();
    },
  };
}

/** Loads a tfjs layers model (model.json and its weight shards, e.g. from `model.save('file://…')`
 * or tensorflowjs_converter) and returns its recurrent layers as `fromTfjsLayersModel` does.
 * `source`: in Node a file path or file: URL (read with fs) or an http(s) URL; in browsers a URL,
 * absolute or relative to the page (read with fetch). Shard paths are resolved against the
 * model.json's location. Needs no tfjs. */
export async function loadTfjsLayersModel(
  source: string | URL,
  options: LoadTfjsLayersModelOptions = {},
): Promise<KerasModelLayer[]> {
  const text = source instanceof URL ? source.href : source;
  if (typeof text !== 'string' || text === '') {
    throw new GatedError(
      'INVALID_INPUT',
      `source: expected a model.json path or URL, received ${describeValue(source)}`,
    );
  }
  const { read, base } = await readerFor(text, options);
  const load = async (location: string, what: string): Promise<ArrayBuffer> => {
    try {
      return await read(location);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0].slice(0, 200) : String(error);
      throw new GatedError('INVALID_FILE', `${what}: could not read ${quote(location, 120)}: ${reason}`, {
        cause: error,
      });
    }
  };
  let modelJson: { weightsManifest?: unknown };
  try {
    modelJson = JSON.parse(new TextDecoder().decode(await load(base, 'model.json')));
  } catch (error) {
    if (error instanceof GatedError) throw error;
    throw new GatedError('INVALID_FILE', `model.json: ${quote(base, 120)} is not JSON`, { cause: error });
  }
  const groups = Array.isArray(modelJson?.weightsManifest) ? modelJson.weightsManifest : [];
  const paths = groups.flatMap((group: { paths?: unknown }) =>
    Array.isArray(group?.paths) ? group.paths : [],
  );
  const shards = await Promise.all(
    paths.map((path: unknown) => {
      if (typeof path !== 'string')
        throw new GatedError(
          'INVALID_FILE',
          `model.json weightsManifest: expected shard paths, received ${describeValue(path)}`,
        );
      return load(new URL(path, base).href, 'weight shard');
    }),
  );
  return fromTfjsLayersModel(modelJson, shards);
}
