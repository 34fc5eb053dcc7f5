import { pooled } from './mail.service';

describe('pooled SMTP URL', () => {
  it('pools up to 10 connections unless the URL says otherwise', () => {
    expect(new URL(pooled('smtp://user:pass@mail.example.org:587')).searchParams.get('pool')).toBe('true');
    expect(new URL(pooled('smtp://mail.example.org:587')).searchParams.get('maxConnections')).toBe('10');
    const off = new URL(pooled('smtps://mail.example.org?pool=false'));
    expect(off.searchParams.get('pool')).toBe('false');
    expect(new URL(pooled('smtp://mail.example.org?maxConnections=3')).searchParams.get('maxConnections')).toBe('3');
    expect(new URL(pooled('smtp://user:pass@mail.example.org:587')).username).toBe('user');
  });
});
