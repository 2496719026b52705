export { CHINA_OFFSET_MS, beijingDate, beijingDateEnd, beijingDayOf, nextBeijingMidnight } from './beijing';
