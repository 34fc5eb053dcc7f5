import { Injectable } from '@nestjs/common';
import type { UserLanguage } from 'src/modules/users/users.types';
import { CompanionModel, ModelRequest } from './companion-model';

/** A feeling the responder can mirror back, and how it is said in a reply. */
interface Feeling {
  pattern: RegExp;
  named: string;
}

interface Texts {
  feelings: Feeling[];
  reflections: Array<(feeling: string) => string>;
  acknowledgements: string[];
  techniques: string[];
  closings: string[];
  crisisFollowUp: string;
  fallbackNote: string;
}

// Evidence-informed self-help only: reflective listening, grounding, paced breathing,
// gentle reframing, reaching people. Never a diagnosis, never medication, never "I am human".
const TEXTS: Record<UserLanguage, Texts> = {
  en: {
    feelings: [
      { pattern: /\b(anxious|anxiety|nervous|worried|worry|panic\w*)\b/i, named: 'anxious' },
      { pattern: /\b(sad|down|depressed|crying|cried|unhappy)\b/i, named: 'sad' },
      { pattern: /\b(lonely|alone|isolated)\b/i, named: 'lonely' },
      { pattern: /\b(angry|furious|mad|irritated|annoyed)\b/i, named: 'angry' },
      { pattern: /\b(stressed|stress|overwhelmed|pressure)\b/i, named: 'overwhelmed' },
      { pattern: /\b(tired|exhausted|drained|worn out)\b/i, named: 'exhausted' },
      { pattern: /\b(scared|afraid|fear\w*|terrified|frightened)\b/i, named: 'scared' },
      { pattern: /\b(hopeless|helpless)\b/i, named: 'hopeless' },
      { pattern: /\b(guilty|ashamed|shame)\b/i, named: 'guilty' },
      { pattern: /\b(numb|empty)\b/i, named: 'numb' },
    ],
    reflections: [
      (f) => `It sounds like you are feeling ${f} right now, and that makes sense given what you describe.`,
      (f) => `I hear how ${f} you feel today — thank you for putting it into words.`,
      (f) => `Feeling ${f} can take a lot out of a person; it took courage to share it.`,
    ],
    acknowledgements: [
      'Thank you for telling me this — it sounds like it matters to you.',
      'I appreciate you sharing what is on your mind.',
      'It helps to put things into words, and I am glad you did.',
    ],
    techniques: [
      'If it helps, try a short grounding exercise: notice 5 things you can see, 4 you can touch, 3 you can hear, 2 you can smell and 1 you can taste. Take your time with each one.',
      'You could try paced breathing: breathe in quietly through your nose for 4 counts, hold for 7, and breathe out slowly through your mouth for 8. Three or four rounds are enough.',
      'One thing that can steady the body is box breathing: in for 4 counts, hold for 4, out for 4, hold for 4, and repeat a few times.',
      'It might help to look at the thought from another side: what would you say to a good friend who felt this way? We are often kinder to others than to ourselves.',
      'Is there someone you trust — a friend, a family member or your therapist — you could reach out to today, even with a short message? Connection often makes heavy things a little lighter.',
    ],
    closings: [
      'I am an automated companion, not a person or a clinician, but I am here to keep listening. What feels most important to you right now?',
      'I am an AI companion, not a human or a therapist; if this keeps weighing on you, a professional can offer real support. Would you like to tell me more?',
      'I am an automated companion, not a person, so I cannot replace the people who care about you or professional help, but I am glad to keep talking. How are you feeling as you read this?',
    ],
    crisisFollowUp: 'I am here with you. If you can, please contact one of the lines above now, or ask someone nearby to stay with you. Are you safe right now?',
    fallbackNote: '(I could not reach my language model just now, so this is a simpler built-in reply.)',
  },
  ru: {
    feelings: [
      { pattern: /(тревож|тревог|волную|беспоко|паник)/i, named: 'тревогу' },
      { pattern: /(груст|печал|плач|депресс|тоск)/i, named: 'грусть' },
      { pattern: /(одинок|одиноч|никого нет)/i, named: 'одиночество' },
      { pattern: /(злюсь|злост|злой|злая|раздраж|бесит)/i, named: 'злость' },
      { pattern: /(стресс|перегруж|давлен|не справляюсь)/i, named: 'перегруженность' },
      { pattern: /(устал|измот|нет сил|выгор)/i, named: 'усталость' },
      { pattern: /(страш|боюсь|страх|пуга)/i, named: 'страх' },
      { pattern: /(безнад|беспомощ)/i, named: 'безнадёжность' },
      { pattern: /(вина|винова|стыд|стыж)/i, named: 'вину' },
      { pattern: /(пустот|онемел|ничего не чувствую)/i, named: 'пустоту' },
    ],
    reflections: [
      (f) => `Похоже, сейчас вы испытываете ${f}, и это понятно после того, что вы описали.`,
      (f) => `Я слышу, что вы переживаете ${f}, — спасибо, что рассказали об этом.`,
      (f) => `Когда испытываешь ${f}, бывает очень непросто; хорошо, что вы об этом написали.`,
    ],
    acknowledgements: [
      'Спасибо, что рассказали мне об этом — похоже, для вас это важно.',
      'Я ценю, что вы делитесь тем, что у вас на душе.',
      'Облечь переживания в слова — уже шаг, и хорошо, что вы его сделали.',
    ],
    techniques: [
      'Если хотите, попробуйте короткое упражнение на заземление: заметьте 5 вещей, которые видите, 4 — которых можете коснуться, 3 звука, 2 запаха и 1 вкус. Не торопитесь.',
      'Можно попробовать дыхание 4-7-8: тихий вдох носом на 4 счёта, задержка на 7 и медленный выдох ртом на 8. Трёх-четырёх повторов достаточно.',
      'Телу помогает успокоиться «квадратное» дыхание: вдох на 4 счёта, задержка на 4, выдох на 4, пауза на 4 — и так несколько раз.',
      'Может помочь взглянуть на эту мысль с другой стороны: что бы вы сказали близкому другу, который чувствует то же самое? К другим мы часто добрее, чем к себе.',
      'Есть ли человек, которому вы доверяете, — друг, кто-то из близких или ваш терапевт, — кому можно написать сегодня хотя бы короткое сообщение? Связь с людьми часто делает тяжёлое чуть легче.',
    ],
    closings: [
      'Я автоматический собеседник, а не человек и не специалист, но я здесь и готов слушать дальше. Что для вас сейчас самое важное?',
      'Я ИИ-компаньон, а не человек и не терапевт; если это продолжает тяготить вас, специалист может оказать настоящую поддержку. Хотите рассказать больше?',
      'Я автоматический собеседник, а не человек, и не заменю людей, которым вы дороги, или профессиональную помощь, но я рад продолжить разговор. Как вы себя чувствуете сейчас?',
    ],
    crisisFollowUp: 'Я рядом. Если можете, пожалуйста, прямо сейчас свяжитесь с одной из служб выше или попросите кого-то рядом побыть с вами. Вы сейчас в безопасности?',
    fallbackNote: '(Сейчас не удалось связаться с языковой моделью, поэтому это более простой встроенный ответ.)',
  },
};

const pick = <T>(items: readonly T[], seed: number): T => items[((seed % items.length) + items.length) % items.length];

/**
 * The built-in responder, used when no model is configured and when the model fails: a
 * supportive reply in the user's language that mirrors a feeling from their message,
 * offers one self-help technique and invites them to go on, always saying it is automated.
 * Templates are chosen from the turn's seed: the same turn always gets the same reply,
 * consecutive turns different ones.
 */
@Injectable()
export class OfflineResponder extends CompanionModel {
  readonly source = 'offline' as const;

  // Async only to satisfy the port: the pieces are ready at once.
  async *stream(request: ModelRequest): AsyncIterable<string> {
    yield* this.pieces(request);
  }

  /** The reply's pieces, in order (joined they are the whole reply). */
  pieces(request: ModelRequest): string[] {
    const t = TEXTS[request.language === 'ru' ? 'ru' : 'en'];
    if (request.crisis) return [t.crisisFollowUp];
    const feeling = t.feelings.find((f) => f.pattern.test(request.text));
    const opening = feeling ? pick(t.reflections, request.seed)(feeling.named) : pick(t.acknowledgements, request.seed);
    return [opening, ` ${pick(t.techniques, request.seed)}`, ` ${pick(t.closings, request.seed)}`];
  }

  /** The short note put before a fallback reply. */
  fallbackNote(language: UserLanguage): string {
    return TEXTS[language === 'ru' ? 'ru' : 'en'].fallbackNote;
  }
}
