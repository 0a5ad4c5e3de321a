// Hover docs for tcp_info fields (as threshold directives name them) come from src/fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldMarkdown } from '../../../src/language-server/docs/fields';
import { wordMarkdown } from '../../../src/language-server/hover';
import { TCPI } from '../../../src/fields/index';

test('a tcp_info field hovers with its meaning, unit, ss label and kernel version', () => {
  const md = fieldMarkdown('rtt')!;
  assert.match(md, /tcpi_rtt/);
  assert.ok(md.includes(TCPI.rtt.description));
  assert.match(md, /microseconds/);
  assert.match(md, /`rtt:`/);
  assert.match(md, /since Linux 2\.6\.12/);
  assert.match(fieldMarkdown('tcpi_retrans')!, /`retrans:`/);
  assert.match(fieldMarkdown('pacing_rate')!, /`pacing_rate`/);
  assert.equal(fieldMarkdown('nope'), undefined);
  assert.equal(fieldMarkdown('toString'), undefined);
});

test('hover on a bare word: keywords first, then fields', () => {
  assert.equal(wordMarkdown('snd_cwnd'), fieldMarkdown('snd_cwnd'));
  assert.doesNotMatch(wordMarkdown('state') ?? '', /tcp_info field/);
});
