import { useMemo, useState } from 'react';
import { findPurpose, type DashboardView } from '@eid/shared';
import { api } from '../api';
import { Chart } from '../components/Chart';
import { registerPage } from '../registry';
import { ErrorBox, fmtTime, T, useLoad } from '../ui';

const BLUE = '#1f5fbf';
const RED = '#c0392b';
const PROVINCES: Record<string, string> = { '11': '北京市', '37': '山东省', '42': '湖北省' };

const rate = (failures: number, attempts: number) =>
  attempts === 0 ? 0 : Math.round((failures / attempts) * 1000) / 10;

function Tile({
  zh,
  en,
  value,
  testId,
}: {
  zh: string;
  en: string;
  value: number | string;
  testId?: string;
}) {
  return (
    <div className="tile" data-testid={testId}>
      <div className="tile__value">{value}</div>
      <div className="tile__label">
        {zh} <span className="en">{en}</span>
      </div>
    </div>
  );
}

/** A bar chart with its numbers in a table under it (the canvas says nothing to a screen reader). */
function Bars({
  title,
  rows,
  color,
  testId,
  unit = '',
}: {
  title: { zh: string; en: string };
  rows: { label: string; value: number }[];
  color: string;
  testId: string;
  unit?: string;
}) {
  const x = useMemo(() => rows.map((_, i) => i), [rows]);
  const series = useMemo(
    () => [{ label: title.zh, values: rows.map((r) => r.value), color }],
    [rows, title.zh, color],
  );
  const categories = useMemo(() => rows.map((r) => r.label), [rows]);
  return (
    <figure className="panel">
      <figcaption>
        <T w={title} />
      </figcaption>
      {rows.length === 0 ? (
        <p className="muted">暂无数据 No data yet</p>
      ) : (
        <Chart
          label={`${title.zh} ${title.en}`}
          kind="bars"
          x={x}
          series={series}
          categories={categories}
          testId={testId}
        />
      )}
      <table className="compact">
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>
                {r.value}
                {unit}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** §2: the counts of the last hours, with charts (verifications by hour, purpose, province; failure rates). */
export function Dashboard() {
  const [hours, setHours] = useState(24);
  const { data, error, reload } = useLoad(
    () => api<DashboardView>('GET', `/api/v1/admin/dashboard?hours=${hours}`),
    [hours],
  );
  const byHour = useMemo(() => {
    if (!data) return undefined;
    return {
      x: data.verifications.byHour.map((h) => h.hour / 1000),
      series: [{ label: '核验次数', values: data.verifications.byHour.map((h) => h.count), color: BLUE }],
    };
  }, [data]);
  const purposes = useMemo(
    () =>
      data?.verifications.byPurpose.map((p) => ({
        label: findPurpose(p.purpose)?.zh ?? p.purpose,
        value: p.count,
      })) ?? [],
    [data],
  );
  const provinces = useMemo(
    () =>
      data?.verifications.byProvince.map((p) => ({
        label: PROVINCES[p.province] ?? p.province,
        value: p.count,
      })) ?? [],
    [data],
  );
  const failures = useMemo(
    () =>
      data
        ? [
            {
              label: '实名核验',
              value: rate(data.enrolment.realNameFailures, data.enrolment.realNameAttempts),
            },
            { label: '人脸核验', value: rate(data.enrolment.faceFailures, data.enrolment.faceAttempts) },
          ]
        : [],
    [data],
  );

  return (
    <section aria-labelledby="dash-title">
      <header className="page-head">
        <h1 id="dash-title">
          <T w={{ zh: '运行概况', en: 'Dashboard' }} />
        </h1>
        <label className="inline">
          时间范围 <span className="en">Period</span>{' '}
          <select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            <option value={24}>最近 24 小时 Last 24 h</option>
            <option value={72}>最近 3 天 Last 3 days</option>
            <option value={168}>最近 7 天 Last 7 days</option>
          </select>
        </label>
        <button type="button" onClick={reload}>
          刷新 <span className="en">Refresh</span>
        </button>
      </header>
      <ErrorBox error={error} />
      {data && (
        <>
          <p className="muted">
            统计时间 Generated {fmtTime(data.generatedAt)} · 仅含计数，不含个人信息 Counts only, no personal
            data
          </p>
          <div className="tiles">
            <Tile zh="期间签发" en="Cards issued" value={data.cards.issued} testId="tile-issued" />
            <Tile zh="有效卡" en="Active cards" value={data.cards.active} />
            <Tile zh="已挂失/暂停" en="Suspended" value={data.cards.suspended} />
            <Tile zh="已注销" en="Revoked" value={data.cards.revoked} />
            <Tile
              zh="核验次数"
              en="Verifications"
              value={data.verifications.total}
              testId="tile-verifications"
            />
            <Tile zh="调证申请" en="Document calls" value={data.documentCalls.created} />
            <Tile zh="回调积压" en="Callback backlog" value={data.callbacks.backlog} />
            <Tile zh="回调死信" en="Dead letters" value={data.callbacks.deadLetters} />
          </div>
          <div className="grid2">
            <figure className="panel">
              <figcaption>
                <T w={{ zh: '每小时核验次数', en: 'Verifications by hour' }} />
              </figcaption>
              {byHour && (
                <Chart
                  label="每小时核验次数 Verifications by hour"
                  kind="line"
                  x={byHour.x}
                  series={byHour.series}
                  testId="chart-by-hour"
                />
              )}
            </figure>
            <Bars
              title={{ zh: '按用途核验', en: 'Verifications by purpose' }}
              rows={purposes}
              color={BLUE}
              testId="chart-by-purpose"
            />
            <Bars
              title={{ zh: '按省份核验', en: 'Verifications by province' }}
              rows={provinces}
              color="#2e8b57"
              testId="chart-by-province"
            />
            <Bars
              title={{ zh: '失败率（%）', en: 'Failure rates (%)' }}
              rows={failures}
              color={RED}
              unit="%"
              testId="chart-failures"
            />
          </div>
          <table className="compact">
            <caption>
              <T w={{ zh: '实名、人脸与调证', en: 'Enrolment and document calls' }} />
            </caption>
            <tbody>
              <tr>
                <th scope="row">实名核验 尝试/失败 Real-name tries/failures</th>
                <td>
                  {data.enrolment.realNameAttempts} / {data.enrolment.realNameFailures}
                </td>
              </tr>
              <tr>
                <th scope="row">人脸核验 尝试/失败 Face tries/failures</th>
                <td>
                  {data.enrolment.faceAttempts} / {data.enrolment.faceFailures}
                </td>
              </tr>
              <tr>
                <th scope="row">调证 已交付/拒绝/过期 Calls delivered/declined/expired</th>
                <td>
                  {data.documentCalls.delivered} / {data.documentCalls.declined} /{' '}
                  {data.documentCalls.expired}
                </td>
              </tr>
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

registerPage({
  id: 'dashboard',
  title: { zh: '运行概况', en: 'Dashboard' },
  capability: 'dashboard',
  order: 10,
  component: Dashboard,
});
