import { ScreenerInstrument, ScreenerSeverity } from './screeners.types';

export interface AnswerOption {
  value: number;
  label: string;
}

export interface SeverityBand {
  min: number;
  max: number;
  severity: ScreenerSeverity;
}

export interface Instrument {
  id: ScreenerInstrument;
  name: string;
  title: string;
  question: string;
  items: readonly string[];
  bands: readonly SeverityBand[];
}

/** The answers shared by both questionnaires, as published. */
export const ANSWER_OPTIONS: readonly AnswerOption[] = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'Several days' },
  { value: 2, label: 'More than half the days' },
  { value: 3, label: 'Nearly every day' },
];

/** PHQ-9 (Kroenke, Spitzer & Williams, 2001; no permission required to reproduce), the nine scored items. */
const PHQ9: Instrument = {
  id: ScreenerInstrument.Phq9,
  name: 'PHQ-9',
  title: 'Patient Health Questionnaire-9',
  question: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  items: [
    'Little interest or pleasure in doing things',
    'Feeling down, depressed, or hopeless',
    'Trouble falling or staying asleep, or sleeping too much',
    'Feeling tired or having little energy',
    'Poor appetite or overeating',
    'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
    'Trouble concentrating on things, such as reading the newspaper or watching television',
    'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
    'Thoughts that you would be better off dead or of hurting yourself in some way',
  ],
  bands: [
    { min: 0, max: 4, severity: ScreenerSeverity.Minimal },
    { min: 5, max: 9, severity: ScreenerSeverity.Mild },
    { min: 10, max: 14, severity: ScreenerSeverity.Moderate },
    { min: 15, max: 19, severity: ScreenerSeverity.ModeratelySevere },
    { min: 20, max: 27, severity: ScreenerSeverity.Severe },
  ],
};

/** GAD-7 (Spitzer, Kroenke, Williams & Löwe, 2006; no permission required to reproduce), as on the published form. */
const GAD7: Instrument = {
  id: ScreenerInstrument.Gad7,
  name: 'GAD-7',
  title: 'Generalized Anxiety Disorder-7',
  question: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  items: [
    'Feeling nervous, anxious, or on edge',
    'Not being able to stop or control worrying',
    'Worrying too much about different things',
    'Trouble relaxing',
    'Being so restless that it is hard to sit still',
    'Becoming easily annoyed or irritable',
    'Feeling afraid, as if something awful might happen',
  ],
  bands: [
    { min: 0, max: 4, severity: ScreenerSeverity.Minimal },
    { min: 5, max: 9, severity: ScreenerSeverity.Mild },
    { min: 10, max: 14, severity: ScreenerSeverity.Moderate },
    { min: 15, max: 21, severity: ScreenerSeverity.Severe },
  ],
};

/** The instruments by id (a Map: the id comes from the request path). */
export const INSTRUMENTS: ReadonlyMap<ScreenerInstrument, Instrument> = new Map([
  [PHQ9.id, PHQ9],
  [GAD7.id, GAD7],
]);

/** PHQ-9's item 9, zero-based: the answer that raises a safety signal when above 0. */
export const PHQ9_SELF_HARM_ITEM_INDEX = 8;

/** What the user sees after an answer that raised a safety signal: support and crisis lines, never their score. */
export const SAFETY_SUPPORT_MESSAGE =
  'Thank you for answering honestly. You mentioned thoughts of being better off dead or of hurting yourself, ' +
  'and you deserve support with that: you do not have to carry it alone. Our team has been told, so someone can check in with you. ' +
  'If you might act on these thoughts or are in danger right now, call your local emergency number (911 in the US, 112 in the EU, 999 in the UK) ' +
  'or go to the nearest emergency department. Crisis lines answer at any hour: call or text 988 (Suicide & Crisis Lifeline, US), ' +
  'call Samaritans on 116 123 (UK and Ireland), or find a free helpline in your country at https://findahelpline.com.';
