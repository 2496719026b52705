import type { DocumentType } from '../registry';
import { ID_CARD } from './id_card';
import { RESIDENCE_PERMIT } from './residence_permit';
import { TEMPORARY_RESIDENCE_PERMIT } from './temporary_residence_permit';
import { DRIVING_LICENCE } from './driving_licence';
import { VEHICLE_REGISTRATION } from './vehicle_registration';
import { HOUSEHOLD_REGISTER } from './household_register';
import { MARRIAGE_CERTIFICATE } from './marriage_certificate';
import { PASSPORT } from './passport';
import { TRAVEL_PERMIT_HK_MACAO } from './travel_permit_hk_macao';
import { TRAVEL_PERMIT_TAIWAN } from './travel_permit_taiwan';

/**
 * Every document type the product knows, in the order the wallet lists them; registry.ts registers them
 * when it loads.
 * Adding a type: a folder `types/<name>/index.ts` exporting its `DocumentType`, its import line here and its
 * name in the list. Everyone else finds it by name, `documentType('<name>')`.
 */
export const BUILT_IN_DOCUMENT_TYPES: readonly DocumentType[] = [
  ID_CARD,
  RESIDENCE_PERMIT,
  TEMPORARY_RESIDENCE_PERMIT,
  DRIVING_LICENCE,
  VEHICLE_REGISTRATION,
  HOUSEHOLD_REGISTER,
  MARRIAGE_CERTIFICATE,
  PASSPORT,
  TRAVEL_PERMIT_HK_MACAO,
  TRAVEL_PERMIT_TAIWAN,
];

export { COMMON_FIELDS, COMMON_FIELD_KEYS, DEFINING_BODIES, ID_TYPE_RESIDENT_CARD } from './common';
