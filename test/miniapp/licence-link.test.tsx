import type { ComponentType } from 'react';
import { act, cleanup, configure, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { documentTypes, type LicenceTypesAnswer, type LicenceWallet } from '@eid/shared';
import { LICENCE_LINK_NOTICE } from '../../bff/src/modules/licence/link-notice';
import { setLang } from '../../miniapp/src/i18n';
import { clock } from '../../miniapp/src/lib/clock';
import { removeStored } from '../../miniapp/src/lib/storage';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';
import { walletDocument } from '../helpers/licence-wallet';
import { signInResident } from '../helpers/resident-session';

/**
 * Linking document types against a server answering as the BFF does: the notice names the licence system
 * and what each chosen type pulls, nothing is linked without a type and the ticked consent, and the link
 * request names the notice version the resident accepted.
 *
 * Relied on: checkboxes labelled by the type's name, the consent checkbox 我已阅读告知，同意从…获取上述证照,
 * the button 同意并关联, `data-testid` link-notice, link-summary, pull-progress, linked-type.
 */

// Signing with tweetnacl in jsdom on a busy machine can take over a second.
configure({ asyncUtilTimeout: 5000 });

const NOW = Date.UTC(2026, 11, 2, 2, 0, 0);
const TYPES: LicenceTypesAnswer = {
  notice: LICENCE_LINK_NOTICE,
  types: documentTypes().map((t) => ({
    name: t.name,
    zh: t.zh,
    en: t.en,
    face: t.face,
    fields: t.fields.map(({ key, zh, en }) => ({ key, zh, en })),
  })),
};
const SYSTEM = LICENCE_LINK_NOTICE.system.zh;
// Signed once: signing in jsdom takes a while.
const DRIVING = walletDocument('driving_licence');
const PASSPORT = walletDocument('passport');

let bff: FakeBff;
let wallet: LicenceWallet;
let linkBodies: unknown[];
let linkAnswer: () => Promise<[number, unknown]>;
let deleted: string[];
let Link: ComponentType;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    if (req.method === 'GET' && req.url === '/api/v1/licences/types') return reply(res, 200, TYPES);
    if (req.method === 'GET' && req.url === '/api/v1/licences') return reply(res, 200, wallet);
    if (req.method === 'POST' && req.url === '/api/v1/licences/links') {
      linkBodies.push(await readJson(req));
      const [status, body] = await linkAnswer();
      return reply(res, status, body);
    }
    const unlink = /^\/api\/v1\/licences\/links\/(\w+)$/.exec(req.url ?? '');
    if (req.method === 'DELETE' && unlink) {
      deleted.push(unlink[1]!);
      wallet = { ...wallet, links: wallet.links.filter((l) => l.type !== unlink[1]), documents: [] };
      return reply(res, 200, wallet);
    }
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'r' });
  }, 'GET, POST, DELETE');
  process.env.TARO_APP_API_BASE = bff.base;
  clock.now = () => NOW;
  await signInResident(NOW);
  Link = (await import('../../miniapp/src/licences/pages/link/index')).default;
});

afterAll(() => bff.close());

beforeEach(() => {
  act(() => setLang('zh'));
  removeStored('licences.wallet');
  wallet = { links: [], documents: [], pulledAt: null };
  linkBodies = [];
  deleted = [];
  linkAnswer = async () => [
    200,
    {
      links: [{ type: 'driving_licence', noticeVersion: LICENCE_LINK_NOTICE.version, linkedAt: NOW }],
      documents: [DRIVING],
      pulledAt: NOW,
    },
  ];
});

afterEach(cleanup);

const consent = () => screen.getByLabelText(`我已阅读告知，同意从${SYSTEM}获取上述证照`);

it('when a type is chosen, then the page names the licence system and exactly the fields it pulls of that type', async () => {
  render(<Link />);
  fireEvent.click(await screen.findByLabelText('机动车驾驶证'));
  expect(screen.getByTestId('link-summary')).toHaveTextContent(`将从${SYSTEM}获取您名下的：机动车驾驶证。`);
  expect(screen.getByText(/^将获取：持证人姓名、持证人证件号码、.*准驾车型、档案编号$/)).toBeInTheDocument();
  const notice = screen.getByTestId('link-notice');
  expect(notice).toHaveTextContent(`证照来源：${SYSTEM}`);
  expect(notice).toHaveTextContent('获取哪些信息');
  expect(notice).toHaveTextContent(LICENCE_LINK_NOTICE.zh.pulled[0]!);
  expect(notice).toHaveTextContent(`告知版本 ${LICENCE_LINK_NOTICE.version}`);
});

it('when the consent is not ticked, then nothing is linked and the page asks for it', async () => {
  render(<Link />);
  fireEvent.click(await screen.findByLabelText('机动车驾驶证'));
  fireEvent.click(screen.getByRole('button', { name: '同意并关联' }));
  expect(await screen.findByText('请先阅读告知并勾选同意。')).toBeInTheDocument();
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(linkBodies).toHaveLength(0);
});

it('when no type is chosen, then nothing is linked and the page asks for one', async () => {
  render(<Link />);
  fireEvent.click(await screen.findByLabelText(`我已阅读告知，同意从${SYSTEM}获取上述证照`));
  fireEvent.click(screen.getByRole('button', { name: '同意并关联' }));
  expect(await screen.findByText('请至少选择一种证照类型。')).toBeInTheDocument();
  expect(linkBodies).toHaveLength(0);
});

it('when types are chosen and the consent ticked, then the link names them and the notice version, with progress while the documents are pulled', async () => {
  let release: () => void = () => undefined;
  const answer = linkAnswer;
  linkAnswer = () => new Promise((resolve) => (release = () => void answer().then(resolve)));
  render(<Link />);
  fireEvent.click(await screen.findByLabelText('机动车驾驶证'));
  fireEvent.click(screen.getByLabelText('机动车行驶证'));
  fireEvent.click(consent());
  fireEvent.click(screen.getByRole('button', { name: '同意并关联' }));

  expect(await screen.findByTestId('pull-progress')).toHaveTextContent('正在从电子证照系统获取您的证照…');
  await waitFor(() => expect(linkBodies).toHaveLength(1));
  expect(linkBodies[0]).toEqual({
    types: ['driving_licence', 'vehicle_registration'],
    consent: { accepted: true, noticeVersion: LICENCE_LINK_NOTICE.version },
  });
  act(() => release());
  await waitFor(() => expect(screen.queryByTestId('pull-progress')).toBeNull());
});

it('when the licence system is down while linking, then the resident reads "try again later"', async () => {
  linkAnswer = async () => [
    503,
    { code: 'LICENCE_SYSTEM_UNAVAILABLE', message: 'Licence system unavailable', requestId: 'r' },
  ];
  render(<Link />);
  fireEvent.click(await screen.findByLabelText('机动车驾驶证'));
  fireEvent.click(consent());
  fireEvent.click(screen.getByRole('button', { name: '同意并关联' }));
  expect(await screen.findByText('电子证照系统暂时无法访问，请稍后再试。')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: '同意并关联' })).toBeEnabled();
});

it('when a linked type is unlinked, then the BFF deletes it and the page says its documents are gone', async () => {
  wallet = {
    links: [{ type: 'passport', noticeVersion: LICENCE_LINK_NOTICE.version, linkedAt: NOW }],
    documents: [PASSPORT],
    pulledAt: NOW,
  };
  render(<Link />);
  fireEvent.click(await screen.findByRole('button', { name: '取消关联普通护照' }));
  expect(await screen.findByText('已取消关联普通护照，该类证照已从证照夹删除。')).toBeInTheDocument();
  expect(deleted).toEqual(['passport']);
  expect(screen.queryByTestId('linked-type')).toBeNull();
  expect(screen.getByLabelText('普通护照')).not.toBeChecked();
});

it('when the resident asks for the other language, then the notice is shown in English too', async () => {
  render(<Link />);
  fireEvent.click(await screen.findByRole('button', { name: 'Read this notice in English' }));
  expect(screen.getByTestId('link-notice')).toHaveTextContent(LICENCE_LINK_NOTICE.en.summary);
  expect(screen.getByTestId('link-notice')).toHaveTextContent('What is pulled');
});
