/*
 * The blameless-language check: a pure function over Markdown text that flags sentences blaming
 * people or written aggressively, each with a suggested rewording. It never blocks a save; the
 * editor shows the findings inline. The word list is the organisation's (defaults below, terms
 * added or switched off in the postmortem settings).
 */

/** One entry of the word list: a word or phrase and what to write instead. */
export interface BlamelessTerm {
  term: string;
  suggestion: string;
}

/** The default word list: judgements of people, and aggressive words. */
export const defaultBlamelessTerms: readonly BlamelessTerm[] = [
  { term: 'careless', suggestion: 'describe what happened and what made it easy to happen' },
  { term: 'carelessly', suggestion: 'describe what happened and what made it easy to happen' },
  { term: 'negligent', suggestion: 'describe the missing safeguard instead of judging a person' },
  { term: 'negligence', suggestion: 'describe the missing safeguard instead of judging a person' },
  { term: 'incompetent', suggestion: 'describe the knowledge or tooling that was missing' },
  { term: 'incompetence', suggestion: 'describe the knowledge or tooling that was missing' },
  { term: 'sloppy', suggestion: 'describe the step that was skipped and why it was skippable' },
  { term: 'lazy', suggestion: 'describe the step that was skipped and why it was skippable' },
  { term: 'reckless', suggestion: 'describe the risk that was not visible at the time' },
  { term: 'stupid', suggestion: 'leave the judgement out; describe the decision and its context' },
  { term: 'idiot', suggestion: 'leave the judgement out; describe the decision and its context' },
  { term: 'dumb', suggestion: 'leave the judgement out; describe the decision and its context' },
  { term: 'should have known', suggestion: 'did not have the information that …' },
  { term: "should've known", suggestion: 'did not have the information that …' },
  { term: 'should have noticed', suggestion: 'nothing made … visible in time' },
  { term: 'to blame', suggestion: 'contributed to' },
  { term: 'blame', suggestion: 'name the contributing factor instead' },
  { term: 'screwed up', suggestion: 'describe what happened' },
  { term: 'messed up', suggestion: 'describe what happened' },
  { term: 'human error', suggestion: 'name the gap in the system that let the error through' },
];

/** A flagged span of the text. */
export interface BlamelessFinding {
  /** Which rule: `fault` ("X's fault"), `term` (the word list), `person-subject`. */
  rule: 'fault' | 'term' | 'person-subject';
  /** The flagged words. */
  match: string;
  /** The whole sentence the words are in. */
  sentence: string;
  /** Offsets of the match in the checked text. */
  start: number;
  end: number;
  /** Why it is flagged. */
  message: string;
  /** What to write instead (a rewording of the sentence where one is mechanical). */
  suggestion: string;
}

export interface BlamelessOptions {
  /** The word list (defaults to {@link defaultBlamelessTerms}). */
  terms?: readonly BlamelessTerm[];
  /** Terms of the default list switched off (case-insensitive). */
  disabled?: readonly string[];
  /** People's names (users of the organisation): a failure with one of them as subject is flagged. */
  people?: readonly string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Sentences of the text with their offsets (split on . ! ? and line breaks). */
export function splitSentences(text: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  const re = /[^.!?\n]+[.!?]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lead = m[0].length - m[0].trimStart().length;
    const t = m[0].trim();
    if (t) out.push({ text: t, start: m.index + lead });
  }
  return out;
}

const failureVerbs = [
  'failed to',
  'failed',
  'forgot to',
  'forgot',
  'broke',
  'missed',
  'ignored',
  'neglected',
  'overlooked',
  "didn't",
  'did not',
  'caused',
  'messed up',
  'screwed up',
  'botched',
];
const genericPeople = [
  'he',
  'she',
  'the engineer',
  'the developer',
  'the operator',
  'the on-call',
  'the on-call engineer',
  'the intern',
  'the new hire',
  'someone',
  'somebody',
];

/**
 * Flags blaming or aggressive sentences: "X's fault" / "his mistake", words of the list
 * ("careless", "should have known"), and a person (a known name, or he/she/the engineer …) as
 * the subject of a failure ("Bob forgot to …", "the on-call ignored …"). Non-blocking: it only
 * reports. Each finding carries a suggested rewording.
 */
export function checkBlameless(text: string, options: BlamelessOptions = {}): BlamelessFinding[] {
  const disabled = new Set((options.disabled ?? []).map((d) => d.toLowerCase()));
  const terms = (options.terms ?? defaultBlamelessTerms).filter(
    (t) => t.term.trim() !== '' && !disabled.has(t.term.toLowerCase()),
  );
  // Longest first, so "to blame" wins over "blame" at the same place.
  const sortedTerms = [...terms].sort((a, b) => b.term.length - a.term.length);
  const names = [
    ...new Set(
      (options.people ?? [])
        .flatMap((p) => [p.trim(), p.trim().split(/\s+/)[0] ?? ''])
        .filter((n) => n.length >= 2),
    ),
  ].sort((a, b) => b.length - a.length);
  const findings: BlamelessFinding[] = [];

  for (const s of splitSentences(text)) {
    const taken: Array<[number, number]> = [];
    const add = (f: Omit<BlamelessFinding, 'sentence' | 'start' | 'end'>, at: number) => {
      const start = s.start + at;
      const end = start + f.match.length;
      if (taken.some(([a, b]) => start < b && end > a)) return;
      taken.push([start, end]);
      findings.push({ ...f, sentence: s.text, start, end });
    };

    // "Bob's fault", "his mistake", "the fault of Bob".
    const fault =
      /\b((?:[A-Z][\p{L}-]+|[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Yy]our)(?:'s|’s)?)\s+(fault|mistake|error|screw-?up|blunder)\b/gu;
    for (let m = fault.exec(s.text); m; m = fault.exec(s.text)) {
      const who = m[1]!;
      const possessive = /('s|’s)$/.test(who) || /^(his|her|their|my|your)$/i.test(who);
      if (!possessive) continue;
      add(
        {
          rule: 'fault',
          match: m[0],
          message: 'Assigns fault to a person. Postmortems look for causes in the system.',
          suggestion: s.text.replace(m[0], 'a gap in our safeguards'),
        },
        m.index,
      );
    }
    const faultOf = /\b(?:the\s+)?fault\s+of\s+[\p{L}-]+/giu;
    for (let m = faultOf.exec(s.text); m; m = faultOf.exec(s.text)) {
      add(
        {
          rule: 'fault',
          match: m[0],
          message: 'Assigns fault to a person. Postmortems look for causes in the system.',
          suggestion: s.text.replace(m[0], 'the result of a gap in our safeguards'),
        },
        m.index,
      );
    }

    // A person as the subject of a failure.
    const subjects = [...names.map(escape), ...genericPeople.map(escape)];
    if (subjects.length) {
      const verbs = failureVerbs.map(escape).join('|');
      const re = new RegExp(
        `(^|[^\\p{L}])(${subjects.join('|')})\\s+(${verbs})(?![\\p{L}])`,
        'giu',
      );
      for (let m = re.exec(s.text); m; m = re.exec(s.text)) {
        const who = m[2]!;
        const isName = names.includes(who);
        // Generic subjects match in any case; names only as written (a capitalised name).
        if (!isName && !genericPeople.includes(who.toLowerCase())) continue;
        const at = m.index + m[1]!.length;
        const phrase = `${who} ${m[3]!}`;
        const rest = s.text.slice(at + phrase.length).trim();
        add(
          {
            rule: 'person-subject',
            match: phrase,
            message: `Makes ${who} the subject of a failure. Make the system or the step the subject.`,
            suggestion: rewordPersonFailure(m[3]!.toLowerCase(), rest),
          },
          at,
        );
      }
    }

    // Words of the list.
    for (const t of sortedTerms) {
      const re = new RegExp(`(^|[^\\p{L}])(${escape(t.term)})(?![\\p{L}])`, 'giu');
      for (let m = re.exec(s.text); m; m = re.exec(s.text)) {
        const at = m.index + m[1]!.length;
        add(
          {
            rule: 'term',
            match: m[2]!,
            message: `"${m[2]!}" judges a person or reads as aggressive.`,
            suggestion: t.suggestion,
          },
          at,
        );
      }
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}

/** "Bob forgot to renew the certificate." → "The certificate renewal step was not done: what would have prompted it?" */
function rewordPersonFailure(verb: string, rest: string): string {
  const tail = rest.replace(/[.!?]+$/, '');
  if (!tail) return 'Describe what the system did, and what would have caught it.';
  if (verb === 'forgot to' || verb === 'failed to' || verb === 'neglected' || verb === "didn't")
    return `"${tail}" did not happen. What would have prompted or enforced it?`;
  if (verb === 'did not')
    return `"${tail}" did not happen. What would have prompted or enforced it?`;
  return `Make the change the subject: "${capitalise(tail)} was affected by …", and name what let it through.`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
