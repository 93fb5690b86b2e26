// Renderer entry: picks the transport (IPC in the desktop app, HTTP in a browser) and mounts the app.
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { pickTransport } from './app/pick-transport';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
try {
  root.render(<App transport={pickTransport(window)} />);
} catch (err) {
  root.render(<p className="fatal">Sporeprint cannot start: {(err as Error).message}</p>);
}
