import type { Helpline } from './safety.types';

/**
 * Crisis helplines by country: the documented table behind `GET /api/v1/safety/resources`.
 *
 * Only long-standing, nationally known services are listed (public or well-established
 * charities), with the number as people dial it at home. `verified` is the day an entry was
 * last checked against published listings of the service, and `source` the service's own
 * page to check it against; numbers and hours do change, so every entry is re-checked
 * against `source` at least once a year and whenever a service announces a change. The
 * emergency number is the one for an ambulance or a life in danger now.
 */
export interface CountryCrisisLines {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** The country's name in English, for the documentation. */
  name: string;
  emergency_number: string;
  helplines: Helpline[];
  /** YYYY-MM-DD. */
  verified: string;
  source: string;
}

const VERIFIED = '2026-12-03';

const line = (
  name: string,
  phone: string | null,
  text: string | null,
  url: string | null,
  hours: string,
  languages: string[],
): Helpline => ({ name, phone, text, url, hours, languages });

export const CRISIS_LINES: readonly CountryCrisisLines[] = [
  {
    country: 'US',
    name: 'United States',
    emergency_number: '911',
    helplines: [
      line('988 Suicide & Crisis Lifeline', '988', 'Text 988, or chat at 988lifeline.org', 'https://988lifeline.org', '24/7', ['en', 'es']),
      line('Crisis Text Line', null, 'Text HOME to 741741', 'https://www.crisistextline.org', '24/7', ['en', 'es']),
      line('The Trevor Project (LGBTQ+ young people)', '1-866-488-7386', 'Text START to 678-678', 'https://www.thetrevorproject.org', '24/7', ['en']),
    ],
    verified: VERIFIED,
    source: 'https://988lifeline.org',
  },
  {
    country: 'CA',
    name: 'Canada',
    emergency_number: '911',
    helplines: [
      line('988 Suicide Crisis Helpline', '988', 'Text 988', 'https://988.ca', '24/7', ['en', 'fr']),
      line('Kids Help Phone', '1-800-668-6868', 'Text CONNECT to 686868', 'https://kidshelpphone.ca', '24/7', ['en', 'fr']),
    ],
    verified: VERIFIED,
    source: 'https://988.ca',
  },
  {
    country: 'GB',
    name: 'United Kingdom',
    emergency_number: '999',
    helplines: [
      line('Samaritans', '116 123', 'Email jo@samaritans.org', 'https://www.samaritans.org', '24/7', ['en', 'cy']),
      line('Shout', null, 'Text SHOUT to 85258', 'https://giveusashout.org', '24/7', ['en']),
      line('Papyrus HOPELINE247 (under 35s)', '0800 068 4141', 'Text 88247', 'https://www.papyrus-uk.org', '24/7', ['en']),
    ],
    verified: VERIFIED,
    source: 'https://www.samaritans.org',
  },
  {
    country: 'IE',
    name: 'Ireland',
    emergency_number: '112',
    helplines: [
      line('Samaritans Ireland', '116 123', 'Email jo@samaritans.ie', 'https://www.samaritans.org/ireland', '24/7', ['en']),
      line('Text 50808', null, 'Text HELLO to 50808', 'https://text50808.ie', '24/7', ['en']),
      line('Pieta', '1800 247 247', 'Text HELP to 51444', 'https://www.pieta.ie', '24/7', ['en']),
    ],
    verified: VERIFIED,
    source: 'https://www.hse.ie/eng/services/list/4/mental-health-services/connecting-for-life/',
  },
  {
    country: 'AU',
    name: 'Australia',
    emergency_number: '000',
    helplines: [
      line('Lifeline', '13 11 14', 'Text 0477 13 11 14, or chat at lifeline.org.au', 'https://www.lifeline.org.au', '24/7', ['en']),
      line('Beyond Blue', '1300 22 4636', 'Chat at beyondblue.org.au', 'https://www.beyondblue.org.au', '24/7', ['en']),
      line('Kids Helpline (5–25 year olds)', '1800 55 1800', 'Chat at kidshelpline.com.au', 'https://kidshelpline.com.au', '24/7', ['en']),
    ],
    verified: VERIFIED,
    source: 'https://www.lifeline.org.au',
  },
  {
    country: 'NZ',
    name: 'New Zealand',
    emergency_number: '111',
    helplines: [
      line('1737, Need to talk?', '1737', 'Text 1737', 'https://1737.org.nz', '24/7', ['en', 'mi']),
      line('Lifeline Aotearoa', '0800 543 354', 'Text HELP to 4357', 'https://www.lifeline.org.nz', '24/7', ['en']),
    ],
    verified: VERIFIED,
    source: 'https://1737.org.nz',
  },
  {
    country: 'DE',
    name: 'Germany',
    emergency_number: '112',
    helplines: [
      line('TelefonSeelsorge', '0800 111 0 111', 'Chat and mail at online.telefonseelsorge.de', 'https://www.telefonseelsorge.de', '24/7', ['de']),
      line('TelefonSeelsorge (second line)', '0800 111 0 222', null, 'https://www.telefonseelsorge.de', '24/7', ['de']),
      line('Nummer gegen Kummer (children and young people)', '116 111', 'Chat and mail at nummergegenkummer.de', 'https://www.nummergegenkummer.de', 'Mon–Sat 14:00–20:00', ['de']),
    ],
    verified: VERIFIED,
    source: 'https://www.telefonseelsorge.de',
  },
  {
    country: 'AT',
    name: 'Austria',
    emergency_number: '144',
    helplines: [
      line('TelefonSeelsorge', '142', 'Chat and mail at onlineberatung-telefonseelsorge.at', 'https://www.telefonseelsorge.at', '24/7', ['de']),
      line('Rat auf Draht (children and young people)', '147', 'Chat at rataufdraht.at', 'https://www.rataufdraht.at', '24/7', ['de']),
    ],
    verified: VERIFIED,
    source: 'https://www.telefonseelsorge.at',
  },
  {
    country: 'CH',
    name: 'Switzerland',
    emergency_number: '144',
    helplines: [
      line('Die Dargebotene Hand / La Main Tendue / Telefono Amico', '143', 'Chat and mail at 143.ch', 'https://www.143.ch', '24/7', ['de', 'fr', 'it']),
      line('Pro Juventute (children and young people)', '147', 'SMS 147, or chat at 147.ch', 'https://www.147.ch', '24/7', ['de', 'fr', 'it']),
    ],
    verified: VERIFIED,
    source: 'https://www.143.ch',
  },
  {
    country: 'FR',
    name: 'France',
    emergency_number: '15',
    helplines: [
      line('3114, numéro national de prévention du suicide', '3114', null, 'https://3114.fr', '24/7', ['fr']),
      line('SOS Amitié', '09 72 39 40 50', 'Chat at sos-amitie.com', 'https://www.sos-amitie.com', '24/7', ['fr']),
    ],
    verified: VERIFIED,
    source: 'https://3114.fr',
  },
  {
    country: 'BE',
    name: 'Belgium',
    emergency_number: '112',
    helplines: [
      line('Zelfmoordlijn 1813', '1813', 'Chat at zelfmoord1813.be', 'https://www.zelfmoord1813.be', '24/7', ['nl']),
      line('Centre de Prévention du Suicide', '0800 32 123', null, 'https://www.preventionsuicide.be', '24/7', ['fr']),
    ],
    verified: VERIFIED,
    source: 'https://www.zelfmoord1813.be',
  },
  {
    country: 'NL',
    name: 'Netherlands',
    emergency_number: '112',
    helplines: [
      line('113 Zelfmoordpreventie', '0800-0113', 'Chat at 113.nl (or call 113)', 'https://www.113.nl', '24/7', ['nl', 'en']),
      line('De Kindertelefoon (children and young people)', '0800-0432', 'Chat at kindertelefoon.nl', 'https://www.kindertelefoon.nl', 'Daily 11:00–21:00', ['nl']),
    ],
    verified: VERIFIED,
    source: 'https://www.113.nl',
  },
  {
    country: 'ES',
    name: 'Spain',
    emergency_number: '112',
    helplines: [
      line('024, Línea de atención a la conducta suicida', '024', null, 'https://www.sanidad.gob.es/linea024/', '24/7', ['es', 'ca', 'eu', 'gl', 'en']),
      line('Teléfono de la Esperanza', '717 003 717', null, 'https://telefonodelaesperanza.org', '24/7', ['es']),
    ],
    verified: VERIFIED,
    source: 'https://www.sanidad.gob.es/linea024/',
  },
  {
    country: 'PT',
    name: 'Portugal',
    emergency_number: '112',
    helplines: [
      line('SNS 24 (option 4: psychological support)', '808 24 24 24', null, 'https://www.sns24.gov.pt', '24/7', ['pt']),
      line('SOS Voz Amiga', '213 544 545', null, 'https://www.sosvozamiga.org', 'Daily 15:30–00:30', ['pt']),
    ],
    verified: VERIFIED,
    source: 'https://www.sns24.gov.pt',
  },
  {
    country: 'IT',
    name: 'Italy',
    emergency_number: '112',
    helplines: [
      line('Telefono Amico Italia', '02 2327 2327', 'WhatsApp 345 036 1628, or mail at telefonoamico.it', 'https://www.telefonoamico.it', 'Daily until 24:00', ['it']),
      line('Telefono Azzurro (children and young people)', '19696', 'Chat at azzurro.it', 'https://azzurro.it', '24/7', ['it']),
    ],
    verified: VERIFIED,
    source: 'https://www.telefonoamico.it',
  },
  {
    country: 'PL',
    name: 'Poland',
    emergency_number: '112',
    helplines: [
      line('Centrum Wsparcia dla osób dorosłych w kryzysie psychicznym', '800 70 2222', 'Chat and mail at centrumwsparcia.pl', 'https://centrumwsparcia.pl', '24/7', ['pl']),
      line('Telefon zaufania dla dzieci i młodzieży (children and young people)', '116 111', 'Chat at 116111.pl', 'https://116111.pl', '24/7', ['pl']),
    ],
    verified: VERIFIED,
    source: 'https://centrumwsparcia.pl',
  },
  {
    country: 'SE',
    name: 'Sweden',
    emergency_number: '112',
    helplines: [line('Mind Självmordslinjen', '90101', 'Chat at mind.se', 'https://mind.se/hitta-hjalp/sjalvmordslinjen/', '24/7', ['sv'])],
    verified: VERIFIED,
    source: 'https://mind.se',
  },
  {
    country: 'NO',
    name: 'Norway',
    emergency_number: '113',
    helplines: [
      line('Mental Helse Hjelpetelefonen', '116 123', 'Chat at sidetmedord.no', 'https://mentalhelse.no', '24/7', ['no']),
      line('Kirkens SOS', '22 40 00 40', 'Chat at kirkens-sos.no', 'https://www.kirkens-sos.no', '24/7', ['no']),
    ],
    verified: VERIFIED,
    source: 'https://mentalhelse.no',
  },
  {
    country: 'FI',
    name: 'Finland',
    emergency_number: '112',
    helplines: [line('MIELI Kriisipuhelin', '09 2525 0111', null, 'https://mieli.fi', '24/7', ['fi'])],
    verified: VERIFIED,
    source: 'https://mieli.fi',
  },
  {
    country: 'RU',
    name: 'Russia',
    emergency_number: '112',
    helplines: [
      line('Детский телефон доверия (children, teenagers and parents)', '8-800-2000-122', null, 'https://telefon-doveria.ru', '24/7', ['ru']),
      line('Психологическая помощь МЧС России', '8 (495) 989-50-50', null, 'https://mchs.gov.ru', '24/7', ['ru']),
    ],
    verified: VERIFIED,
    source: 'https://telefon-doveria.ru',
  },
  {
    country: 'UA',
    name: 'Ukraine',
    emergency_number: '112',
    helplines: [
      line('Lifeline Ukraine', '7333', 'Chat at lifelineukraine.com', 'https://lifelineukraine.com', '24/7', ['uk', 'en']),
      line('La Strada Ukraine', '116 123', null, 'https://la-strada.org.ua', '24/7', ['uk']),
    ],
    verified: VERIFIED,
    source: 'https://lifelineukraine.com',
  },
  {
    country: 'IN',
    name: 'India',
    emergency_number: '112',
    helplines: [
      line('Tele-MANAS', '14416', 'Or call 1-800-891-4416', 'https://telemanas.mohfw.gov.in', '24/7', ['en', 'hi', 'bn', 'ta', 'te', 'mr', 'kn', 'ml', 'gu', 'pa']),
      line('AASRA', '+91-9820466726', null, 'https://www.aasra.info', '24/7', ['en', 'hi']),
    ],
    verified: VERIFIED,
    source: 'https://telemanas.mohfw.gov.in',
  },
  {
    country: 'BR',
    name: 'Brazil',
    emergency_number: '192',
    helplines: [line('CVV, Centro de Valorização da Vida', '188', 'Chat at cvv.org.br', 'https://cvv.org.br', '24/7', ['pt'])],
    verified: VERIFIED,
    source: 'https://cvv.org.br',
  },
  {
    country: 'MX',
    name: 'Mexico',
    emergency_number: '911',
    helplines: [line('Línea de la Vida', '800 911 2000', null, 'https://www.gob.mx/salud/conadic', '24/7', ['es'])],
    verified: VERIFIED,
    source: 'https://www.gob.mx/salud/conadic',
  },
  {
    country: 'AR',
    name: 'Argentina',
    emergency_number: '911',
    helplines: [line('Centro de Asistencia al Suicida', '135', 'Or call (011) 5275-1135 from anywhere in the country', 'https://www.asistenciaalsuicida.org.ar', '24/7', ['es'])],
    verified: VERIFIED,
    source: 'https://www.asistenciaalsuicida.org.ar',
  },
  {
    country: 'JP',
    name: 'Japan',
    emergency_number: '119',
    helplines: [
      line('いのちの電話 (Inochi no Denwa)', '0570-783-556', null, 'https://www.inochinodenwa.org', 'Daily 10:00–22:00', ['ja']),
      line('よりそいホットライン (Yorisoi Hotline)', '0120-279-338', null, 'https://www.since2011.net/yorisoi/', '24/7', ['ja', 'en', 'zh', 'ko', 'pt', 'es', 'tl', 'vi']),
    ],
    verified: VERIFIED,
    source: 'https://www.inochinodenwa.org',
  },
  {
    country: 'KR',
    name: 'South Korea',
    emergency_number: '119',
    helplines: [line('자살예방상담전화 (Suicide Prevention Hotline)', '109', null, 'https://www.mohw.go.kr', '24/7', ['ko'])],
    verified: VERIFIED,
    source: 'https://www.mohw.go.kr',
  },
  {
    country: 'SG',
    name: 'Singapore',
    emergency_number: '995',
    helplines: [line('Samaritans of Singapore (SOS)', '1767', 'WhatsApp 9151 1767 (CareText)', 'https://www.sos.org.sg', '24/7', ['en'])],
    verified: VERIFIED,
    source: 'https://www.sos.org.sg',
  },
  {
    country: 'HK',
    name: 'Hong Kong',
    emergency_number: '999',
    helplines: [
      line('The Samaritan Befrienders Hong Kong', '2389 2222', null, 'https://sbhk.org.hk', '24/7', ['zh', 'en']),
      line('The Samaritans Hong Kong', '2896 0000', null, 'https://samaritans.org.hk', '24/7', ['en', 'zh']),
    ],
    verified: VERIFIED,
    source: 'https://sbhk.org.hk',
  },
  {
    country: 'IL',
    name: 'Israel',
    emergency_number: '101',
    helplines: [line('ERAN, emotional first aid', '1201', 'Chat at eran.org.il', 'https://www.eran.org.il', '24/7', ['he', 'ar', 'ru', 'en'])],
    verified: VERIFIED,
    source: 'https://www.eran.org.il',
  },
  {
    country: 'ZA',
    name: 'South Africa',
    emergency_number: '112',
    helplines: [
      line('SADAG Suicide Crisis Helpline', '0800 567 567', 'SMS 31393', 'https://www.sadag.org', '24/7', ['en']),
      line('Lifeline South Africa', '0861 322 322', null, 'https://lifelinesa.co.za', '24/7', ['en']),
    ],
    verified: VERIFIED,
    source: 'https://www.sadag.org',
  },
];

/**
 * For a country without an entry, or when the country is unknown: directories of lines
 * worldwide, and the advice to call the local emergency number (112 works from mobiles in
 * much of the world, 911 across the Americas).
 */
export const INTERNATIONAL_LINES: { emergency_number: string; helplines: Helpline[] } = {
  emergency_number: '112',
  helplines: [
    line('Find A Helpline (free, confidential lines in over 130 countries)', null, 'Search by country at findahelpline.com', 'https://findahelpline.com', '24/7 directory', ['en']),
    line(
      'IASP crisis centre directory',
      null,
      null,
      'https://www.iasp.info/crisis-centres-helplines/',
      '24/7 directory',
      ['en'],
    ),
    line(
      'Emergency services: if a life is in danger now, call 112 (most of Europe and many mobiles) or 911 (the Americas)',
      '112',
      null,
      null,
      '24/7',
      ['en'],
    ),
  ],
};
