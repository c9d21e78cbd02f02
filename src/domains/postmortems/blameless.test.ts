import { describe, expect, it } from 'vitest';
import { checkBlameless, splitSentences } from './blameless.js';

const people = ['Bob Smith', 'Ada Lovelace'];
const rules = (text: string, opts = {}) =>
  checkBlameless(text, { people, ...opts }).map((f) => [f.rule, f.match]);

describe('checkBlameless', () => {
  it('flags blaming and aggressive sentences', () => {
    expect(rules("The outage was Bob's fault.")).toEqual([['fault', "Bob's fault"]]);
    expect(rules('It was his mistake to deploy on Friday.')).toEqual([['fault', 'his mistake']]);
    expect(rules('The config change was careless.')).toEqual([['term', 'careless']]);
    expect(rules('The on-call should have known the disk was full.')).toEqual([
      ['term', 'should have known'],
    ]);
    expect(rules('Bob forgot to renew the certificate.')).toEqual([
      ['person-subject', 'Bob forgot to'],
    ]);
    expect(rules('Then Ada Lovelace broke the deploy.')).toEqual([
      ['person-subject', 'Ada Lovelace broke'],
    ]);
    expect(rules('He ignored the alert for an hour.')).toEqual([['person-subject', 'He ignored']]);
    expect(rules('This was the fault of Bob.')).toEqual([['fault', 'the fault of Bob']]);
    expect(rules('Ops were to blame.')).toEqual([['term', 'to blame']]);
  });

  it('leaves blameless sentences alone', () => {
    for (const ok of [
      'The deploy failed because the migration locked the table.',
      'The certificate was not renewed: nothing reminded anyone.',
      'Bob restarted the cache at 10:05, which mitigated the outage.',
      'The fault was in the load balancer health check.',
      'A configuration error in the CDN rules dropped traffic.',
      "Ada's quick rollback restored service.",
      'The cache failed to start after the upgrade.',
      'bobcat forgot nothing.',
      '',
    ]) {
      expect(rules(ok), ok).toEqual([]);
    }
  });

  it('suggests a rewording and points at the sentence', () => {
    const text = "All good here. The outage was Bob's fault!";
    const [f] = checkBlameless(text, { people });
    expect(f!.sentence).toBe("The outage was Bob's fault!");
    expect(text.slice(f!.start, f!.end)).toBe("Bob's fault");
    expect(f!.suggestion).toBe('The outage was a gap in our safeguards!');
    const [g] = checkBlameless('Bob forgot to renew the certificate.', { people });
    expect(g!.suggestion).toContain('"renew the certificate" did not happen');
  });

  it('uses the organisation word list: added terms and switched-off ones', () => {
    expect(rules('A cowboy change went out.')).toEqual([]);
    expect(
      rules('A cowboy change went out.', { terms: [{ term: 'cowboy', suggestion: 'unreviewed' }] }),
    ).toEqual([['term', 'cowboy']]);
    expect(rules('That was careless.', { disabled: ['Careless'] })).toEqual([]);
  });

  it('splits sentences with offsets', () => {
    expect(splitSentences('One. Two!\nThree')).toEqual([
      { text: 'One.', start: 0 },
      { text: 'Two!', start: 5 },
      { text: 'Three', start: 10 },
    ]);
  });
});
