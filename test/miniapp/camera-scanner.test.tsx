import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setLang } from '../../miniapp/src/i18n';
import { CodeScanner } from '../../miniapp/src/components/CodeScanner';
import { STAFF_MESSAGES, useI18n } from '../../miniapp/src/staff/i18n';

/**
 * The staff camera’s sentences when it cannot scan, and its progress while it starts. The camera is the
 * browser's (`navigator.mediaDevices`), which jsdom lacks: each test gives it the answer a browser
 * gives in that situation. The real camera and decoder run in test/e2e/staff-camera.test.ts.
 */

const say = (key: keyof typeof STAFF_MESSAGES, lang: 'zh' | 'en' = 'zh') => STAFF_MESSAGES[key][lang];

function giveCamera(getUserMedia: (() => Promise<MediaStream>) | undefined): void {
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: getUserMedia ? { getUserMedia } : undefined,
  });
}

/** The scanner as the staff verify page places it, with the staff sentences. */
function StaffScanner() {
  const { t } = useI18n();
  return <CodeScanner onCode={jest.fn()} t={t} prefix="staff.camera" testId="camera-scanner" />;
}

const refuse = (name: string) => () => Promise.reject(new DOMException('camera answer', name));

async function pressStart(label = say('staff.camera.start')) {
  render(<StaffScanner />);
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: label }));
  });
}

class QuietDetector {
  static getSupportedFormats = () => Promise.resolve(['qr_code']);
  detect() {
    return Promise.resolve([]);
  }
}

// jsdom has media elements but cannot play them; a browser's muted autoplay resolves.
beforeAll(() => {
  Object.defineProperty(HTMLMediaElement.prototype, 'play', {
    configurable: true,
    value: () => Promise.resolve(),
  });
});

beforeEach(() => act(() => setLang('zh')));
afterEach(() => {
  giveCamera(undefined);
  delete (window as { BarcodeDetector?: unknown }).BarcodeDetector;
});

describe('the staff camera scanner', () => {
  it.each([
    ['NotAllowedError', 'staff.camera.denied'],
    ['SecurityError', 'staff.camera.denied'],
    ['NotFoundError', 'staff.camera.noCamera'],
    ['OverconstrainedError', 'staff.camera.noCamera'],
    ['NotReadableError', 'staff.camera.failed'],
  ] as const)(
    'when the browser answers %s, then the officer reads a sentence saying so',
    async (name, key) => {
      giveCamera(refuse(name));
      await pressStart();
      expect(await screen.findByRole('alert')).toHaveTextContent(say(key));
      expect(screen.getByTestId('camera-scanner')).toHaveAttribute('data-phase', 'failed');
      // The way on is offered: try again.
      expect(screen.getByRole('button', { name: say('staff.camera.again') })).toBeEnabled();
    },
  );

  it('when the page has no camera API (an insecure origin or an old browser), then it says so instead of failing silently', async () => {
    giveCamera(undefined);
    await pressStart();
    expect(await screen.findByRole('alert')).toHaveTextContent(say('staff.camera.unsupported'));
  });

  it('when the language is English, then the refused permission reads in English', async () => {
    act(() => setLang('en'));
    giveCamera(refuse('NotAllowedError'));
    await pressStart(say('staff.camera.start', 'en'));
    expect(await screen.findByRole('alert')).toHaveTextContent(say('staff.camera.denied', 'en'));
  });

  it('when the camera is being asked for, then the page shows it is starting, and stopping then releases the camera', async () => {
    const track = { stop: jest.fn() };
    let grant: (stream: MediaStream) => void = () => undefined;
    giveCamera(() => new Promise<MediaStream>((resolve) => (grant = resolve)));
    await pressStart();
    expect(screen.getByTestId('camera-status')).toHaveTextContent(say('staff.camera.starting'));
    expect(screen.getByTestId('camera-scanner')).toHaveAttribute('data-phase', 'starting');
    fireEvent.click(screen.getByRole('button', { name: say('staff.camera.stop') }));
    expect(screen.getByTestId('camera-scanner')).toHaveAttribute('data-phase', 'idle');
    // The permission answer arrives after the officer pressed stop: the camera is released at once.
    await act(async () => grant({ getTracks: () => [track] } as unknown as MediaStream));
    await waitFor(() => expect(track.stop).toHaveBeenCalled());
    expect(screen.queryByLabelText(say('staff.camera.videoLabel'))).toBeNull();
  });

  it('when the camera is granted, then its picture shows and stopping turns the camera off', async () => {
    const track = { stop: jest.fn() };
    giveCamera(() => Promise.resolve({ getTracks: () => [track] } as unknown as MediaStream));
    // A browser with its own detector, so nothing here downloads the polyfill's WebAssembly.
    Object.assign(window, { BarcodeDetector: QuietDetector });
    await pressStart();
    await screen.findByLabelText(say('staff.camera.videoLabel'));
    expect(screen.getByTestId('camera-scanner')).toHaveAttribute('data-decoder', 'native');
    expect(track.stop).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: say('staff.camera.stop') }));
    await waitFor(() => expect(track.stop).toHaveBeenCalled());
    expect(screen.queryByLabelText(say('staff.camera.videoLabel'))).toBeNull();
  });
});
