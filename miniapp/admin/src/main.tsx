import { createRoot } from 'react-dom/client';
import { App } from './App';
import './pages';
import { keepSessionAlive } from './session';
import './styles.css';

/**
 * Found in the admin bundle and nowhere else: test/miniapp-admin/bundle.test.ts greps the weapp and H5
 * resident builds for it to show they carry no admin code.
 */
export const ADMIN_BUNDLE_MARKER = 'eid-admin-pages-bundle';

document.documentElement.dataset.bundle = ADMIN_BUNDLE_MARKER;
keepSessionAlive();
createRoot(document.getElementById('admin-root')!).render(<App />);
