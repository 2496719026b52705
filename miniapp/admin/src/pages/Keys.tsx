import { KEY_WARNING_DAYS, type ProvinceKeyUse, type ProvinceKeysView } from '@eid/shared';
import { api } from '../api';
import { registerPage } from '../registry';
import { ErrorBox, fmtTime, T, useLoad } from '../ui';

const USES: Record<ProvinceKeyUse, string> = {
  issuer: '签发密钥 Issuer',
  node: '节点密钥 Node',
  witness: '见证密钥 Witness',
  trust_root: '信任根 Trust root',
  party_registry: '第三方登记签名 Party registry',
  callback: '回调签名 Callbacks',
  licence_client: '电子证照客户端 Licence client',
};

/** §7: this province's keys and their ends (a warning row under 90 days), and the trust list held. */
export function Keys() {
  const { data, error } = useLoad(() => api<ProvinceKeysView>('GET', '/api/v1/admin/keys'));
  const warned = data?.keys.filter((k) => k.warning) ?? [];
  return (
    <section aria-labelledby="keys-title">
      <header className="page-head">
        <h1 id="keys-title">
          <T w={{ zh: '密钥与信任列表', en: 'Keys and trust list' }} />
        </h1>
      </header>
      <ErrorBox error={error} />
      {data && (
        <>
          {warned.length > 0 && (
            <p className="warning" role="status" data-testid="keys-warning">
              {warned.length} 把密钥剩余不足 {KEY_WARNING_DAYS} 天，请安排轮换。{' '}
              <span className="en">
                {warned.length} key(s) have fewer than {KEY_WARNING_DAYS} days left: plan a rotation.
              </span>
            </p>
          )}
          <table>
            <caption>
              <T
                w={{
                  zh: `本省（${data.province}）持有的密钥`,
                  en: `Keys this province (${data.province}) holds`,
                }}
              />
            </caption>
            <thead>
              <tr>
                <th scope="col">密钥编号 Key id</th>
                <th scope="col">用途 Use</th>
                <th scope="col">公钥 Public key</th>
                <th scope="col">生效 Not before</th>
                <th scope="col">失效 Not after</th>
                <th scope="col">剩余天数 Days left</th>
              </tr>
            </thead>
            <tbody>
              {data.keys.map((k) => (
                <tr
                  key={`${k.use}:${k.kid}`}
                  className={k.warning ? 'row-warning' : undefined}
                  data-warning={k.warning ? 'true' : undefined}
                >
                  <td className="mono">{k.kid}</td>
                  <td>{USES[k.use] ?? k.use}</td>
                  <td className="mono clip" title={k.publicKey}>
                    {k.publicKey}
                  </td>
                  <td>{k.notBefore ? fmtTime(k.notBefore) : '—'}</td>
                  <td>{k.notAfter ? fmtTime(k.notAfter) : '未设定 none'}</td>
                  <td>
                    {k.daysLeft === null ? '—' : k.daysLeft}
                    {k.warning && <strong className="badge"> ⚠ 即将到期 Expiring soon</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>
            <T w={{ zh: '全国信任列表', en: 'National trust list' }} />
          </h2>
          {data.trustList ? (
            <table>
              <caption>
                序号 Sequence {data.trustList.sequence} · 签发 Issued {fmtTime(data.trustList.issuedAt)} ·
                有效至 Expires {fmtTime(data.trustList.expiresAt)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">省份 Province</th>
                  <th scope="col">名称 Name</th>
                  <th scope="col">签发密钥 Issuer keys</th>
                </tr>
              </thead>
              <tbody>
                {data.trustList.provinces.map((p) => (
                  <tr key={p.province}>
                    <td>{p.province}</td>
                    <td>{p.name}</td>
                    <td className="mono">{p.issuerKids.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">
              本节点未加入联邦，没有全国信任列表。
              <span className="en">This node holds no national trust list (not federated).</span>
            </p>
          )}
        </>
      )}
    </section>
  );
}

registerPage({
  id: 'keys',
  title: { zh: '密钥', en: 'Keys' },
  capability: 'keys',
  order: 70,
  component: Keys,
});
