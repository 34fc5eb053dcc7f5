import type { AlarmLanguage } from 'src/modules/ptsd/ptsd.types';

/** Who raised the alarm, as the texts may name them. */
export interface AlarmPerson {
  firstName: string;
  lastName: string;
}

/** Fills a scenario message's `{first_name}`, `{last_name}` and `{full_name}` placeholders (others stay as written). */
export function fillPlaceholders(template: string, person: AlarmPerson): string {
  const values = new Map([
    ['first_name', person.firstName],
    ['last_name', person.lastName],
    ['full_name', `${person.firstName} ${person.lastName}`.trim()],
  ]);
  return template.replace(/\{(first_name|last_name|full_name)\}/g, (whole, name: string) => values.get(name) ?? whole);
}

interface EmailTexts {
  alarmSubject: (first: string) => string;
  alarmBody: (message: string, link: string, hours: number) => string;
  allClearSubject: (first: string) => string;
  allClearBody: (first: string) => string;
}

const EMAIL_TEXTS = new Map<AlarmLanguage, EmailTexts>([
  [
    'en',
    {
      alarmSubject: (first) => `${first} needs you now (Haven alarm)`,
      alarmBody: (message, link, hours) =>
        `${message}\n\nPlease let them know you have seen this. Open this link to confirm (it works once, for ${hours} hours):\n${link}\n\n` +
        'If you believe they are in immediate danger, call your local emergency number.',
      allClearSubject: (first) => `${first} is safe now (Haven)`,
      allClearBody: (first) => `${first} has marked their alarm as resolved and says they are safe now. Thank you for being there.`,
    },
  ],
  [
    'ru',
    {
      alarmSubject: (first) => `${first} нуждается в вас сейчас (тревога Haven)`,
      alarmBody: (message, link, hours) =>
        `${message}\n\nПожалуйста, дайте знать, что вы увидели это сообщение. Откройте ссылку, чтобы подтвердить (она действует один раз, ${hours} ч):\n${link}\n\n` +
        'Если вы считаете, что человеку угрожает непосредственная опасность, позвоните в местную экстренную службу.',
      allClearSubject: (first) => `${first} в безопасности (Haven)`,
      allClearBody: (first) => `${first} отметил(а), что тревога снята и сейчас всё в порядке. Спасибо, что вы рядом.`,
    },
  ],
]);

export const emailTexts = (language: string): EmailTexts => EMAIL_TEXTS.get(language as AlarmLanguage) ?? EMAIL_TEXTS.get('en')!;

/** The scenario message in the recipient's language, falling back to English. */
export function scenarioMessage(messages: { en: string; ru?: string }, language: string): string {
  return language === 'ru' && messages.ru ? messages.ru : messages.en;
}

/** Used when the user has no scenario at all (the catalogue lost its default): the alarm still goes out. */
export const FALLBACK_MESSAGES = {
  en: '{first_name} has pressed their Haven alarm and may need you now. Please call or message them.',
  ru: '{first_name} нажал(а) кнопку тревоги в Haven и, возможно, нуждается в вас прямо сейчас. Пожалуйста, позвоните или напишите.',
};
