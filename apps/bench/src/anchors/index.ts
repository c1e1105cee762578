import type { Subject } from '../subject.js';
import { ortNodeAnchor, ortWebAnchor } from './ort.js';
import { tfjsLayersAnchor } from './tfjs.js';

/** Every anchor, in table order. Nothing is loaded until a row is prepared. */
export function allAnchors(): Subject[] {
  return [
    tfjsLayersAnchor('cpu'),
    tfjsLayersAnchor('wasm'),
    ortWebAnchor(1),
    ortWebAnchor(2),
    ortNodeAnchor(),
  ];
}
