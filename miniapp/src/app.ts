import type { PropsWithChildren } from 'react';
import './app.scss';

/** The app shell: pages render as its children; state lives in small stores, not here. */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
