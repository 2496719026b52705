import { manualClock, type ManualClock } from '@eid/bff/infra/clock';
import {
  FIXTURES,
  MOCK_FACE_API_KEY,
  VERIFY_ID_TTL_MS,
  startFace,
  syntheticCapture,
  tinyCapture,
  type MockServer,
  type Resident,
} from '@eid/mock';

describe('face verification stand-in', () => {
  let clock: ManualClock;
  let face: MockServer;
  let label = 0;
  // A fresh camera frame per capture: the same bytes twice are a replay.
  const frame = () => syntheticCapture(`face-test-${++label}`);

  beforeAll(async () => {
    clock = manualClock();
    face = await startFace({ clock });
  });
  afterAll(() => face.stop());

  const call = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = { 'X-Api-Key': MOCK_FACE_API_KEY },
    signal?: AbortSignal,
  ) => {
    const res = await fetch(`${face.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const start = async (r: Resident) => {
    const res = await call('POST', '/v1/verify-ids', { name: r.name, idNumber: r.idNumber });
    expect(res.status).toBe(200);
    return res.body as { verifyId: string; expiresAt: number };
  };
  // The page side: no API key, a browser origin.
  const capture = (verifyId: string, image: string) =>
    call('POST', '/v1/capture', { verifyId, image }, { Origin: 'http://127.0.0.1:10086' });
  const result = (verifyId: string) => call('GET', `/v1/verify-ids/${verifyId}/result`);

  it('when a pass resident is captured, then the result moves from pending to a liveness pass with high similarity', async () => {
    const { verifyId, expiresAt } = await start(FIXTURES.pass);
    expect(verifyId).toMatch(/^fv_[A-Za-z0-9_-]+$/);
    expect(expiresAt).toBe(clock.now() + VERIFY_ID_TTL_MS);
    expect((await result(verifyId)).body).toEqual({ status: 'pending' });
    const captured = await capture(verifyId, frame());
    expect(captured.body).toEqual({ accepted: true });
    expect(captured.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:10086');
    const done = await result(verifyId);
    expect(done.body).toEqual({
      status: 'done',
      liveness: 'pass',
      similarity: expect.any(Number),
      score: expect.any(Number),
    });
    expect(done.body.similarity).toBeGreaterThanOrEqual(0.86);
    expect(done.body.score).toBeCloseTo((done.body.similarity as number) * 100, 5);
    expect((await result(verifyId)).body).toEqual(done.body);
  });

  it('when a pass resident sends bytes seen in an earlier capture, then liveness fails as a replayed photo', async () => {
    const image = frame();
    const first = await start(FIXTURES.pass);
    await capture(first.verifyId, image);
    const second = await start(FIXTURES.pass);
    expect((await capture(second.verifyId, image)).body).toEqual({ accepted: true });
    expect((await result(second.verifyId)).body).toMatchObject({
      status: 'done',
      liveness: 'fail',
      reason: 'replayed_photo',
    });
  });

  it('when the capture is under 1 KB, then it is refused as poor quality and a better one can follow', async () => {
    const { verifyId } = await start(FIXTURES.xCheckDigit);
    expect((await capture(verifyId, tinyCapture())).body).toEqual({
      accepted: false,
      reason: 'poor_quality',
    });
    expect((await result(verifyId)).body).toEqual({ status: 'pending' });
    expect((await capture(verifyId, frame())).body).toEqual({ accepted: true });
    expect((await result(verifyId)).body).toMatchObject({ status: 'done', liveness: 'pass' });
  });

  it('when a low-similarity resident is captured, then liveness passes but similarity is low', async () => {
    const { verifyId } = await start(FIXTURES.faceLowSimilarity);
    await capture(verifyId, frame());
    const { body } = await result(verifyId);
    expect(body).toMatchObject({ status: 'done', liveness: 'pass', reason: 'low_similarity' });
    expect(body.similarity).toBeLessThan(0.6);
  });

  it('when a liveness-fail resident is captured, then liveness fails', async () => {
    const { verifyId } = await start(FIXTURES.faceLivenessFail);
    await capture(verifyId, frame());
    expect((await result(verifyId)).body).toMatchObject({
      status: 'done',
      liveness: 'fail',
      reason: 'not_live',
    });
  });

  it('when a timeout resident is queried, then the result does not come within 300 ms', async () => {
    const { verifyId } = await start(FIXTURES.faceTimeout);
    await capture(verifyId, frame());
    const outcome = await call(
      'GET',
      `/v1/verify-ids/${verifyId}/result`,
      undefined,
      { 'X-Api-Key': MOCK_FACE_API_KEY },
      AbortSignal.timeout(300),
    ).then(
      () => 'answered',
      (err: Error) => err.name,
    );
    expect(outcome).toBe('TimeoutError');
  });

  it('when the hang is shortened, then a timeout resident eventually gets a pass', async () => {
    const quick = await startFace({ clock, hangMs: 50 });
    try {
      const created = await fetch(`${quick.url}/v1/verify-ids`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': MOCK_FACE_API_KEY },
        body: JSON.stringify({ name: FIXTURES.faceTimeout.name, idNumber: FIXTURES.faceTimeout.idNumber }),
      });
      const { verifyId } = (await created.json()) as { verifyId: string };
      await fetch(`${quick.url}/v1/capture`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ verifyId, image: frame() }),
      });
      const res = await fetch(`${quick.url}/v1/verify-ids/${verifyId}/result`, {
        headers: { 'X-Api-Key': MOCK_FACE_API_KEY },
      });
      expect(await res.json()).toMatchObject({ status: 'done', liveness: 'pass' });
    } finally {
      await quick.stop();
    }
  });

  it('when an error resident is queried, then the service answers 500', async () => {
    const { verifyId } = await start(FIXTURES.faceError);
    await capture(verifyId, frame());
    const res = await result(verifyId);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ error: 'internal_error' });
  });

  it('when 10 minutes pass, then the verify id no longer takes captures or answers', async () => {
    const { verifyId } = await start(FIXTURES.pass);
    clock.advance(VERIFY_ID_TTL_MS);
    expect((await result(verifyId)).body).toEqual({ status: 'pending' });
    clock.advance(1);
    const late = await capture(verifyId, frame());
    expect(late.status).toBe(410);
    expect(late.body).toMatchObject({ error: 'verify_id_expired' });
    expect((await result(verifyId)).status).toBe(410);
  });

  it('when a verify id is unknown or already captured, then capture and result refuse it', async () => {
    expect((await capture('fv_unknown', frame())).status).toBe(404);
    expect((await result('fv_unknown')).status).toBe(404);
    const { verifyId } = await start(FIXTURES.pass);
    await capture(verifyId, frame());
    const again = await capture(verifyId, frame());
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'already_captured' });
  });

  it('when the capture is not a JPEG or PNG in base64, then it answers 400 bad_image', async () => {
    const { verifyId } = await start(FIXTURES.pass);
    const notImage = Buffer.from('hello world, definitely not an image'.repeat(50)).toString('base64');
    expect((await capture(verifyId, notImage)).body).toMatchObject({ error: 'bad_image' });
    expect((await capture(verifyId, '***')).body).toMatchObject({ error: 'bad_image' });
    const dataUrl = `data:image/png;base64,${frame()}`;
    expect((await capture(verifyId, dataUrl)).body).toEqual({ accepted: true });
  });

  it('when the capture is larger than the body limit, then it answers 413', async () => {
    const { verifyId } = await start(FIXTURES.pass);
    const res = await capture(verifyId, 'A'.repeat(2_200_000));
    expect(res.status).toBe(413);
  });

  it('when the person is unknown or the name is wrong, then no verify id is issued', async () => {
    const unknown = await call('POST', '/v1/verify-ids', { name: '李文博', idNumber: '11010519491231002X' });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ error: 'identity_not_found' });
    const wrong = await call('POST', '/v1/verify-ids', { name: '李文', idNumber: FIXTURES.pass.idNumber });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ error: 'identity_mismatch' });
  });

  it('when the server-side calls lack the API key, then they answer 401', async () => {
    const r = FIXTURES.pass;
    expect((await call('POST', '/v1/verify-ids', { name: r.name, idNumber: r.idNumber }, {})).status).toBe(
      401,
    );
    const { verifyId } = await start(r);
    expect((await call('GET', `/v1/verify-ids/${verifyId}/result`, undefined, {})).status).toBe(401);
  });
});
