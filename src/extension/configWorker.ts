/**
 * Worker-thread entry (bundled to dist/configWorker.js): reads a training config's text with the
 * core's config layer (src/core/config; text only, never executed) off the extension host's thread.
 * Hovers, code actions and diagnostics ask it through ConfigWorkerHost. No `vscode` here.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeConfig } from '../core/config';
import type { ConfigRequest, ConfigReply } from './configWorkerHost';

const port = parentPort;
if (port) {
  port.on('message', (m: ConfigRequest) => {
    let reply: ConfigReply;
    try {
      reply = { id: m.id, analysis: analyzeConfig(m.text, m.file, m.options) };
    } catch (e) {
      // The core reports problems as data; a throw means "not a config we understand".
      reply = { id: m.id, analysis: undefined, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
}
