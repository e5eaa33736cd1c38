import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { translator } from '../i18n/i18n';
import { ja } from '../i18n/ja';

describe('catalogues', () => {
  it('fill placeholders', () => {
    expect(translator('ja')('slots.remaining', { n: 3 })).toBe('残り 3');
    expect(translator('en')('slots.remaining', { n: 3 })).toBe('3 left');
  });
  it('use the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(ja) as (keyof typeof ja)[]) {
      expect(names(en[key]), key).toEqual(names(ja[key]));
      expect(en[key].length, key).toBeGreaterThan(0);
    }
  });
});
