import { createStore } from '../../lib/store';

/**
 * The request code the scan page read (or the pending request chosen), handed to the approval page in
 * memory: codes are long, so they stay out of the page URL.
 */
export const scannedCode = createStore<string | null>(null);
