import { currencyDigits, fromMinorUnits, isCurrency, toMinorUnits } from './money';

describe('money', () => {
  it('knows each currency’s minor unit', () => {
    expect([currencyDigits('EUR'), currencyDigits('JPY'), currencyDigits('KWD')]).toEqual([2, 0, 3]);
    expect([isCurrency('EUR'), isCurrency('eur'), isCurrency('XYZ'), isCurrency(7)]).toEqual([true, false, false, false]);
  });

  it('turns decimal strings into minor units and back', () => {
    expect([toMinorUnits('49.99', 'EUR'), toMinorUnits('5', 'EUR'), toMinorUnits('5.5', 'USD'), toMinorUnits('500', 'JPY'), toMinorUnits('1.234', 'KWD')]).toEqual([
      4999, 500, 550, 500, 1234,
    ]);
    expect([fromMinorUnits(4999, 'EUR'), fromMinorUnits(5, 'USD'), fromMinorUnits(500, 'JPY'), fromMinorUnits(1234, 'KWD'), fromMinorUnits(-250, 'USD')]).toEqual([
      '49.99', '0.05', '500', '1.234', '-2.50',
    ]);
  });

  it('refuses more decimals than the currency has, and anything but a plain decimal', () => {
    expect([toMinorUnits('1.5', 'JPY'), toMinorUnits('1.999', 'EUR'), toMinorUnits('-1', 'EUR'), toMinorUnits('1e3', 'EUR'), toMinorUnits('', 'EUR')]).toEqual([
      null, null, null, null, null,
    ]);
  });
});
