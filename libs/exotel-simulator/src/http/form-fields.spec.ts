import { FormFields } from './form-fields';

describe('FormFields', () => {
  it.each([
    ['StatusCallbackEvents[]=terminal&StatusCallbackEvents[]=answered'],
    ['StatusCallbackEvents[1]=answered&StatusCallbackEvents[0]=terminal'],
    ['StatusCallbackEvents=terminal&StatusCallbackEvents=answered'],
    ['StatusCallbackEvents%5B0%5D=terminal&StatusCallbackEvents%5B1%5D=answered'],
  ])('folds the array spelling %s', (body) => {
    const fields = FormFields.fromUrlEncoded(body);
    expect(fields.getAll('StatusCallbackEvents')).toEqual(['terminal', 'answered']);
    expect(fields.toObject()).toEqual({ StatusCallbackEvents: ['terminal', 'answered'] });
  });

  it('keeps scalars and nested keys as written', () => {
    const fields = FormFields.fromUrlEncoded('From=%2B919876543210&Legs[0][Status]=busy&Empty=');
    expect(fields.get('From')).toBe('+919876543210');
    expect(fields.get('Legs[0][Status]')).toBe('busy');
    expect(fields.get('Empty')).toBe('');
    expect(fields.has('To')).toBe(false);
  });
});
