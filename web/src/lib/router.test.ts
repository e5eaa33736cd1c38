import { describe, expect, it } from 'vitest';
import { match } from './router';

describe('match', () => {
  it('binds and decodes parameters', () => {
    expect(match('/t/:code/o/:id', '/t/demo/o/3')).toEqual({ code: 'demo', id: '3' });
    expect(match('/t/:code', '/t/%E4%BA%88/')).toEqual({ code: '予' });
  });
  it('refuses other shapes', () => {
    expect(match('/t/:code', '/t/demo/o/3')).toBeNull();
    expect(match('/t/:code', '/t/')).toBeNull();
    expect(match('/t/:code', '/t/%E4%BA')).toBeNull();
  });
});
