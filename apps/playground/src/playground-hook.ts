/** What the page publishes for tests and the curious (window.__playground): the last forward
 * and comparison as plain arrays, and the page's state ('loading' | 'busy' | 'ready'). */
export interface PlaygroundHook {
  state: string;
  model: string;
  text: string;
  last: {
    backendId: string;
    backendName: string;
    output: number[];
    logits: number[] | null;
    predictions: string[] | null;
    ms: number;
    gatesFrom: string;
  } | null;
  lastError: { backendId: string; message: string } | null;
  compare: { id: string; output: number[] | null; ms: number | null; error: string | null }[] | null;
}

declare global {
  interface Window {
    __playground: PlaygroundHook;
  }
}

export function createHook(): PlaygroundHook {
  const hook: PlaygroundHook = {
    state: 'loading',
    model: '',
    text: '',
    last: null,
    lastError: null,
    compare: null,
  };
  window.__playground = hook;
  return hook;
}

export function setState(hook: PlaygroundHook, state: string): void {
  hook.state = state;
  document.body.dataset.state = state;
}
