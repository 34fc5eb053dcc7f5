import { passwordProblems } from './password-policy';

describe('password policy', () => {
  it('accepts a long, uncommon password', () => {
    expect(passwordProblems('correct horse battery staple', { email: 'ada@example.com', username: 'ada_l' })).toEqual([]);
    expect(passwordProblems('Tr0ub4dor&3-xylophone')).toEqual([]);
  });

  it('refuses short passwords, naming the minimum', () => {
    expect(passwordProblems('Ab1!xyz')).toEqual(['password must be at least 10 characters']);
  });

  it('refuses passwords over the maximum', () => {
    expect(passwordProblems('a'.repeat(201))).toEqual(['password must be at most 200 characters']);
  });

  it.each(['password123', 'qwertyuiop', '1234567890', 'Iloveyou12', 'Sunshine2024!!', '!!Football!!'])('refuses the common password %s', (password) => {
    expect(passwordProblems(password)).toContain('password is too common; choose a less predictable one (a few random words work well)');
  });

  it('refuses passwords built from the email or username, ignoring case', () => {
    const context = { email: 'Grace.Hopper@example.com', username: 'Amazing_Grace' };
    expect(passwordProblems('grace.hopper@example.com', context)).toContain('password must not contain your email or username');
    expect(passwordProblems('my-GRACE.HOPPER-pass', context)).toContain('password must not contain your email or username');
    expect(passwordProblems('amazing_grace_2024', context)).toContain('password must not contain your email or username');
    expect(passwordProblems('nautical-compiler-71', context)).toEqual([]);
  });

  it('refuses one or two characters repeated', () => {
    expect(passwordProblems('aaaaaaaaaaaa')).toContain('password must not be one or two characters repeated');
    expect(passwordProblems('abababababab')).toContain('password must not be one or two characters repeated');
  });
});
