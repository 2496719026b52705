/**
 * What the admin pages say, Chinese first with English, and what each error code means to an officer at
 * a desk: the page switches on the BFF's code (and `details.reason`), never on its English message.
 */
import { ApiError } from './api';

export interface Words {
  zh: string;
  en: string;
}

const w = (zh: string, en: string): Words => ({ zh, en });

/** The sentence for a failed call: what happened and what to do. */
export function errorWords(err: unknown): Words {
  if (!(err instanceof ApiError))
    return w('页面出错，请刷新后重试。', 'Something went wrong on this page; reload and try again.');
  const d = err.details ?? {};
  const wait = typeof d.retryAfterS === 'number' ? Math.max(1, Math.ceil(d.retryAfterS)) : undefined;
  switch (err.code) {
    case 'NETWORK':
      return w(
        '无法连接服务器，请检查网络后重试。',
        'The server cannot be reached; check the network and try again.',
      );
    case 'CREDENTIALS_INVALID':
      return w('用户名或密码不正确。', 'The username or password is wrong.');
    case 'TOTP_REQUIRED':
      return w('请输入身份验证器上的 6 位动态码。', 'Enter the 6-digit code from your authenticator app.');
    case 'TOTP_INVALID':
      return d.reason === 'used'
        ? w(
            '这个动态码已用过，请等待下一个动态码（每 30 秒更新）。',
            'This code was already used; wait for the next one (every 30 s).',
          )
        : w(
            '动态码不正确，请核对手机上当前显示的 6 位数字。',
            'The code is wrong; check the 6 digits your phone shows now.',
          );
    case 'TOTP_ALREADY_ENROLLED':
      return w('此账号已绑定身份验证器。', 'This account already has an authenticator.');
    case 'TOTP_ENROLMENT_REQUIRED':
      return w(
        '请先绑定身份验证器，再使用管理功能。',
        'Set up your authenticator before using the admin pages.',
      );
    case 'RATE_LIMITED':
    case 'STAFF_SIGN_IN_DELAYED':
      return wait
        ? w(`尝试次数过多，请在 ${wait} 秒后再试。`, `Too many tries; try again in ${wait} s.`)
        : w('尝试次数过多，请稍后再试。', 'Too many tries; try again later.');
    case 'STAFF_ACCOUNT_LOCKED':
      return w(
        '此账号因连续失败已被锁定，请联系系统管理员解锁。',
        'This account is locked after repeated failures; ask an administrator to unlock it.',
      );
    case 'UNAUTHENTICATED':
    case 'SESSION_REVOKED':
    case 'SESSION_EXPIRED':
      return w('登录已失效，请重新登录。', 'Your session has ended; sign in again.');
    case 'FORBIDDEN':
      if (d.reason === 'not_own_lookup')
        return w(
          '只有做这次查询的民警本人可以查看完整信息，请自己重新查询。',
          'Only the officer who made this lookup may reveal from it: make your own lookup.',
        );
      if (d.reason === 'self')
        return w(
          '不能暂缓自己的查询，须由另一名主管决定。',
          'You cannot defer your own lookup: another supervisor decides.',
        );
      return w('您的角色无权进行此操作。', 'Your role may not do this.');
    case 'VALIDATION_FAILED':
      return w(`填写的内容不符合要求：${err.message}`, `Something entered is not accepted: ${err.message}`);
    case 'NOT_FOUND':
      return w('没有找到该记录，可能已被处理。', 'Not found; it may have been dealt with already.');
    case 'CONFLICT':
      if (d.reason === 'already_deferred')
        return w('这次查询已经暂缓告知过了。', 'This lookup is already deferred.');
      return w('记录刚被他人修改，请刷新后重试。', 'Someone changed this just now; reload and try again.');
    case 'PARTY_GRANT_INVALID':
      return w(
        '用途或授权范围不正确：该用途不存在，或不允许申请所选范围。',
        'A purpose or scope is not allowed for this party.',
      );
    case 'CALLBACK_URL_REFUSED':
      return w(
        '回调地址不被接受：须为 https 地址（本地测试地址须在允许列表中）。',
        'The callback URL is refused: it must be https (or an allowed test host).',
      );
    case 'PARTY_KEY_CONFLICT':
      return w('密钥编号或公钥已被使用，请换一个。', 'That key id or public key is already in use.');
    case 'PARTY_KEY_LIMIT':
      return w(
        '同时有效的密钥最多两把，请先停用一把旧密钥。',
        'At most two active keys: retire an old one first.',
      );
    case 'PARTY_SIGNIN_INVALID':
      return w('远程登录设置不正确。', 'The remote sign-in settings are not accepted.');
    case 'UPSTREAM_UNAVAILABLE':
    case 'UPSTREAM_TIMEOUT':
      return w(
        '后台服务暂时无法响应，请稍后重试。',
        'A service behind this page is not answering; try again shortly.',
      );
    case 'ID_NUMBER_INVALID_FORMAT':
      return w(
        '公民身份号码格式不对：应为 18 位，最后一位可以是 X。',
        'The ID number is not well formed: 18 characters, the last may be X.',
      );
    case 'ID_NUMBER_LEGACY_15':
      return w(
        '这是旧的 15 位号码，请输入 18 位公民身份号码。',
        'This is an old 15-digit number: enter the 18-digit ID number.',
      );
    case 'ID_NUMBER_BAD_REGION':
      return w(
        '号码前 6 位不是有效的行政区划代码，请核对。',
        'The first 6 digits are not a region code: check them.',
      );
    case 'ID_NUMBER_BAD_BIRTH_DATE':
      return w('号码中的出生日期不存在，请核对。', 'The birth date in the number does not exist: check it.');
    case 'ID_NUMBER_BAD_CHECK_DIGIT':
      return w(
        '号码的校验位不对，可能输错了一位，请核对。',
        'The check digit is wrong: a digit was probably mistyped.',
      );
    case 'LOOKUP_EXPIRED':
      return w(
        '这次查询已超过可查看完整信息的时限（10 分钟），如仍需要请重新查询。',
        'This lookup’s time to reveal (10 minutes) is over: look the resident up again if you still need to.',
      );
    case 'DEFERRAL_TOO_LONG': {
      const days = typeof d.maxSeconds === 'number' ? Math.floor(d.maxSeconds / 86_400) : undefined;
      return days
        ? w(`暂缓时间太长：最多 ${days} 天。`, `Too long a deferral: at most ${days} days.`)
        : w('暂缓时间太长。', 'Too long a deferral.');
    }
    case 'DISCLOSURE_ALREADY_SHOWN':
      return w(
        '这次查询已在居民的使用记录中显示（查询时未申请暂缓，或暂缓期限已过），不能再暂缓。',
        'The resident can already see this lookup (no deferral was asked, or the hold ended): it cannot be deferred now.',
      );
    case 'CARD_NOT_FOUND':
      return w('没有找到这张电子证。', 'This card was not found.');
    case 'CARD_REVOKED':
      return w('此电子证已注销，注销不可撤销。', 'This card is revoked; a revocation is final.');
    case 'CARD_SUSPENDED':
      return w('此电子证已被公安暂停。', 'This card is already suspended by the police.');
    case 'CARD_NOT_SUSPENDED':
      return w(
        '此电子证有效，没有暂停，无需恢复。',
        'This card is active, not suspended: nothing to restore.',
      );
    case 'REVIEW_NOT_FOUND':
      return w('没有找到这件审核，请刷新列表。', 'This review was not found: reload the list.');
    case 'REVIEW_ALREADY_DECIDED':
      return w(
        '这件审核已由他人处理或居民已撤回，请刷新列表。',
        'This review was already decided (or withdrawn): reload the list.',
      );
    case 'QUESTION_ALREADY_ANSWERED':
      return w(
        '这条异议已由其他审计员答复，请刷新列表。',
        'This question was already answered: reload the list.',
      );
    default:
      return w(`操作未完成（代码 ${err.code}）。`, `Not done (code ${err.code}).`);
  }
}
