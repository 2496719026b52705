import { useEffect, useState } from 'react';
import { STAFF_ROLE_NAMES } from '@eid/shared';
import { currentSession, onSession, type AdminSession } from './api';
import { may } from './capabilities';
import { SignIn } from './pages/SignIn';
import { allPages } from './registry';
import { signOut } from './session';
import { T } from './ui';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

/** The shell: sign-in until there is a session, then the menu of the pages the role may use. */
export function App() {
  const [session, setSession] = useState<AdminSession | null>(currentSession());
  useEffect(() => onSession(setSession), []);
  const hash = useHash();
  if (!session) return <SignIn />;

  const role = session.staff.role;
  const pages = allPages().filter((p) => may(role, p.capability));
  const wanted = hash.replace(/^#\/?/, '');
  const page = pages.find((p) => p.id === wanted);
  const Page = page?.component;
  return (
    <div className="shell">
      <a className="skip" href="#content">
        跳到正文 Skip to content
      </a>
      <header className="topbar">
        <strong>电子居民身份证 · 管理后台</strong> <span className="en">e-ID admin</span>
        <span className="who" data-testid="who">
          {session.staff.displayName} · {STAFF_ROLE_NAMES[role]?.zh ?? role}{' '}
          {STAFF_ROLE_NAMES[role]?.en ?? ''} · {session.staff.org}
        </span>
        <button type="button" onClick={() => void signOut()}>
          退出 <span className="en">Sign out</span>
        </button>
      </header>
      <nav aria-label="管理功能 Admin pages">
        <ul>
          {pages.map((p) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={p.id === page?.id ? 'page' : undefined}>
                <T w={p.title} />
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="content" tabIndex={-1}>
        {Page ? (
          <Page />
        ) : pages.length === 0 ? (
          <p role="status">
            您的角色没有可用的管理功能。<span className="en">Your role has no admin pages.</span>
          </p>
        ) : (
          <section>
            <h1>
              <T w={{ zh: '请选择功能', en: 'Choose a page' }} />
            </h1>
            <ul>
              {pages.map((p) => (
                <li key={p.id}>
                  <a href={`#/${p.id}`}>
                    <T w={p.title} />
                  </a>
                </li>
              ))}
            </ul>
          </section>
        )}
      </main>
    </div>
  );
}
