import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commaList, repeatable } from '../../src/cli/lists.js';

describe('list-valued options', () => {
  it('joins the comma-separated items of every occurrence, trimmed, blanks dropped', () => {
    const program = new Command().exitOverride().option('--users <names>', 'users', commaList);
    program.parse(['--users', ' alice, bob,,', '--users', 'carol'], { from: 'user' });
    expect(program.opts()['users']).toEqual(['alice', 'bob', 'carol']);
  });

  it('starts from a default list without changing it', () => {
    const defaults: readonly string[] = ['x'];
    expect(commaList('a,b', defaults)).toEqual(['x', 'a', 'b']);
    expect(defaults).toEqual(['x']);
  });

  it.each(["", " ", ",", " , ,"])('refuses an empty list value %j as a usage error naming the option', (value) => {
    const errors: string[] = [];
    const program = new Command()
      .exitOverride()
      .configureOutput({ writeErr: (text) => errors.push(text) })
      .option('--exclude <names>', 'users', commaList);
    expect(() => program.parse(['--exclude', value], { from: 'user' })).toThrow(expect.objectContaining({ code: 'commander.invalidArgument' }));
    expect(errors.join('')).toMatch(/option '--exclude <names>' argument .* is invalid\. the list is empty/);
    expect(errors.join('').trim().split('\n')).toHaveLength(1);
  });

  it('keeps a repeatable value whole, commas included', () => {
    const program = new Command().exitOverride().option('--policy <file>', 'file', repeatable, []);
    program.parse(['--policy', 'a,b.json', '--policy', 'c.json'], { from: 'user' });
    expect(program.opts()['policy']).toEqual(['a,b.json', 'c.json']);
  });
});
