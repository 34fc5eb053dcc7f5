import type { UserLanguage } from 'src/modules/users/users.types';
import type { Helpline } from 'src/modules/safety/safety.types';
import type { CrisisSupport } from './risk-flags.types';

const TEXTS = {
  en: {
    opening: 'What you wrote worries me, and your safety matters most right now. You do not have to go through this alone — please reach out to someone now:',
    emergency: (n: string) => `If you are in immediate danger, call ${n}.`,
    call: 'call',
    planHeading: 'Your safety plan — people you can ask for help:',
    alarm: 'You can also press your alarm in the app to alert your emergency contacts.',
    closing: 'I am an automated companion, not a person or a clinician; the people above can help you right now. I am still here to keep talking.',
  },
  ru: {
    opening: 'То, что вы написали, меня тревожит, и сейчас важнее всего ваша безопасность. Вы не обязаны справляться с этим в одиночку — пожалуйста, обратитесь за помощью прямо сейчас:',
    emergency: (n: string) => `Если вам угрожает непосредственная опасность, звоните ${n}.`,
    call: 'телефон',
    planHeading: 'Ваш план безопасности — к кому можно обратиться:',
    alarm: 'Вы также можете нажать тревожную кнопку в приложении, чтобы оповестить ваши экстренные контакты.',
    closing: 'Я автоматический собеседник, а не человек и не специалист; люди выше могут помочь вам прямо сейчас. Я по-прежнему здесь и готов продолжить разговор.',
  },
} as const;

const helplineLine = (line: Helpline, call: string): string => {
  const ways = [line.phone ? `${call} ${line.phone}` : null, line.text, line.url].filter((w): w is string => Boolean(w));
  return `• ${line.name}: ${ways.join(', ')} (${line.hours})`;
};

/**
 * The crisis reply's opening, in the user's language: the helplines of their country, the
 * people from their safety plan, and the alarm if they have one. The companion puts it
 * first, whatever the model says.
 */
export function crisisReplyText(support: CrisisSupport, language: UserLanguage): string {
  const t = TEXTS[language === 'ru' ? 'ru' : 'en'];
  const lines: string[] = [t.opening, t.emergency(support.resources.emergency_number)];
  for (const line of support.resources.helplines) lines.push(helplineLine(line, t.call));
  const people = support.safety_plan ? [...support.safety_plan.people_to_ask_for_help, ...support.safety_plan.professionals_and_agencies] : [];
  if (people.length > 0) {
    lines.push(t.planHeading);
    for (const person of people) lines.push(`• ${person.name}${person.phone ? `: ${person.phone}` : ''}`);
  }
  if (support.alarm_available) lines.push(t.alarm);
  lines.push(t.closing);
  return lines.join('\n');
}
