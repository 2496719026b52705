import { provinceName, type PublishedPurpose, PURPOSES, type UsageActor } from '@eid/shared';
import type { Lang, MessageKey, Params } from '../i18n';
import { MESSAGES } from '../i18n/messages';
import { formatCardDate, formatValidity } from './format';

type Translate = (key: MessageKey, params?: Params) => string;

// Purposes the BFF records for the resident's own steps rather than for a check by someone else.
const INTERNAL_PURPOSES: Record<string, MessageKey> = {
  enrollment: 'purpose.enrollment',
  enroll: 'purpose.enrollment',
  self: 'purpose.self',
  self_service: 'purpose.self',
  resident: 'purpose.self',
  card: 'purpose.card',
  account: 'purpose.account',
};

/**
 * A purpose code in words: the published name, or a plain phrase, never the code itself.
 * `purposes` is the list fetched from the BFF, which may name purposes published after this build;
 * until it arrives (or if it never does) the list bundled from `shared/` names every purpose this
 * build knows, so a record is never shown as "other purpose" just because a fetch was slow.
 */
export function purposeLabel(
  code: string,
  purposes: readonly PublishedPurpose[] | undefined,
  lang: Lang,
  t: Translate,
): string {
  const published = purposes?.find((p) => p.code === code) ?? PURPOSES.find((p) => p.code === code);
  if (published) return published[lang];
  const internal = INTERNAL_PURPOSES[code];
  return t(internal ?? 'purpose.unknown');
}

/** A card field name in words. */
export function fieldLabel(field: string, t: Translate): string {
  const key = `field.${field}`;
  return key in MESSAGES ? t(key as MessageKey) : t('field.other');
}

// Sex as the registry codes it (GB/T 2261.1) and as the verifiers' answers spell it.
const SEX: Record<string, MessageKey> = {
  '1': 'card.sexM',
  M: 'card.sexM',
  男: 'card.sexM',
  '2': 'card.sexF',
  F: 'card.sexF',
  女: 'card.sexF',
  '0': 'card.sexUnknown',
  '9': 'card.sexUnstated',
};

/**
 * A card field's value in words, the same on the resident's disclosure list and on the staff page:
 * the age predicates as 是/否, the province of residence by name, dates as printed on the card.
 *
 * @example fieldValueText('ageOver18', true, t, 'zh') // '是'
 * @example fieldValueText('residenceProvince', '37', t, 'zh') // '山东省'
 */
export function fieldValueText(
  field: string,
  value: string | number | boolean,
  t: Translate,
  lang: Lang,
): string {
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  const text = String(value);
  if (field === 'sex') return SEX[text] ? t(SEX[text]) : text;
  if (field === 'birthDate') return formatCardDate(text, lang);
  if (field === 'residenceProvince') return provinceName(text) ?? text;
  if (field === 'validFrom' || field === 'validUntil') return formatValidity(text, t('card.longTerm'));
  return text;
}

// Matched in order against the BFF's dotted action names such as `card.verify`, `portrait.read`.
const ACTIONS: [RegExp, MessageKey][] = [
  [/^move\.out$/, 'action.moveOut'],
  [/^move\.in$/, 'action.moveIn'],
  // Police staff looking the resident up (issue 19 §4): said as such, not as the resident's own reveal.
  [/^staff\.reveal$/, 'action.staffReveal'],
  [/^staff\.lookup\.deferred$/, 'action.staffDeferred'],
  [/^staff\.lookup$/, 'action.staffLookup'],
  [/^enrollment\.review\./, 'action.review'],
  [/verify/, 'action.verify'],
  [/reveal/, 'action.reveal'],
  [/portrait/, 'action.portrait'],
  [/issue/, 'action.issue'],
  [/renew/, 'action.renew'],
  [/moved/, 'action.moved'],
  [/suspend/, 'action.suspend'],
  [/resume/, 'action.resume'],
  [/revoke/, 'action.revoke'],
  [/real_?name/, 'action.realName'],
  [/real_?person|face/, 'action.realPerson'],
  [/reauth/, 'action.reauth'],
  [/withdraw/, 'action.withdraw'],
  [/consent/, 'action.consent'],
  [/account/, 'action.account'],
  [/read|view|get/, 'action.view'],
];

/** Who acted, as the resident reads it: "me" for their own actions, else the name the BFF gives. */
export function actorLabel(actor: UsageActor, t: Translate): string {
  const name = actor.type === 'resident' ? t('usage.actor.resident') : actor.displayName;
  return actor.org ? `${name} · ${actor.org}` : name;
}

/** A usage action in words. */
export function actionLabel(action: string, t: Translate): string {
  const hit = ACTIONS.find(([pattern]) => pattern.test(action));
  return t(hit ? hit[1] : 'action.other');
}
