import './styles.css';
import { PlaygroundApp } from './app.js';
import { el } from './dom.js';
import { loadCatalog } from './models/catalog.js';

const root = document.getElementById('app');
if (root) {
  loadCatalog()
    .then((models) => new PlaygroundApp(root).start(models))
    .catch((error: unknown) => {
      document.body.dataset.state = 'failed';
      root.append(el('p', { class: 'fatal', role: 'alert' }, `The page could not start: ${String(error)}`));
    });
}
